"""Client data: pseudonymised extracts in, disclosure-controlled indicator facts out."""
