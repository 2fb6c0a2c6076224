"""Exact aggregation up the regional hierarchy: summed numerators and denominators."""

from __future__ import annotations

import pandas as pd

from raketieto.regions import Division, Level

AGGREGATED_NOTE = "laskettu alemman tason osoittajien ja nimittäjien summana"

_GROUP = ["indicator_id", "parent", "year", "sex", "age_group"]


def region_levels(division: Division) -> dict[str, str]:
    """Region code -> level name, for every region of the division."""
    return {code: region.level.value for code, region in division.regions.items()}


def aggregate_up(facts: pd.DataFrame, division: Division) -> pd.DataFrame:
    """Add every higher-level row that can be summed exactly from the level below.

    A parent row is computed only when every one of its children has a numerator (and a
    denominator, unless the indicator is a plain count with none at all); otherwise a parent
    row the source provided is kept, and if there is none the cell stays missing. Computed
    rows replace provided ones, so every level is the exact sum of the one below.
    """
    if facts.empty:
        return facts.assign(aggregated=pd.Series(dtype=bool))
    levels = region_levels(division)
    parents = {code: r.parent_code for code, r in division.regions.items()}
    child_counts = {code: 0 for code in division.regions}
    for region in division.regions.values():
        if region.parent_code is not None:
            child_counts[region.parent_code] += 1

    frame = facts.copy()
    frame["aggregated"] = False
    # A sum with any derived part is itself derived.
    frame["derived"] = (
        frame["derived"].fillna(False).astype(bool) if "derived" in frame.columns else False
    )
    level_of = frame["region_code"].map(levels)
    by_level = {level: frame[level_of == level.value] for level in Level}
    order = [Level.MUNICIPALITY, Level.COUNTY, Level.COLLABORATIVE_AREA]
    for child_level, parent_level in zip(order, [*order[1:], Level.COUNTRY], strict=True):
        children = by_level[child_level]
        if children.empty:
            continue
        computed = _sum_children(children, parents, child_counts)
        provided = by_level[parent_level]
        if not provided.empty and not computed.empty:
            keys = ["indicator_id", "region_code", "year", "sex", "age_group"]
            taken = pd.MultiIndex.from_frame(computed[keys])
            provided = provided[~pd.MultiIndex.from_frame(provided[keys]).isin(taken)]
        by_level[parent_level] = pd.concat([provided, computed], ignore_index=True)
    result = pd.concat([by_level[level] for level in Level], ignore_index=True)
    return result.reset_index(drop=True)


def _sum_children(
    children: pd.DataFrame, parents: dict[str, str | None], child_counts: dict[str, int]
) -> pd.DataFrame:
    usable = children[~children["suppressed"].fillna(False).astype(bool)]
    work = usable.assign(parent=usable["region_code"].map(parents))
    grouped = work.groupby(_GROUP, dropna=False, sort=False)
    sums = grouped[["numerator", "denominator"]].sum(min_count=1)
    counts = grouped[["numerator", "denominator"]].count().add_prefix("n_")
    provenance = grouped.agg(
        source_version=("source_version", "max"),
        retrieved_at=("retrieved_at", "max"),
        synthetic=("synthetic", "max"),
        derived=("derived", "max"),
    )
    sources = (
        work.drop_duplicates([*_GROUP, "source"])
        .sort_values("source")
        .groupby(_GROUP, dropna=False, sort=False)["source"]
        .agg(" + ".join)
    )
    # The children's own note travels with a derived sum when they all share it, so a county
    # value says how its parts were derived (e.g. which year's labour force weights them).
    notes = grouped["note"].agg(["nunique", "first"])
    shared = notes["first"].where(notes["nunique"] == 1)
    sums = pd.concat(
        [sums, counts, provenance, sources, shared.rename("child_note")], axis=1
    ).reset_index()
    expected = sums["parent"].map(child_counts)
    complete = (sums["n_numerator"] == expected) & (
        (sums["n_denominator"] == expected) | (sums["n_denominator"] == 0)
    )
    out = sums[complete].drop(columns=["n_numerator", "n_denominator"])
    out = out.rename(columns={"parent": "region_code"})
    out["value"] = float("nan")
    out["suppressed"] = False
    out["suppression_reason"] = None
    carried = out["derived"].astype(bool) & out["child_note"].notna()
    out["note"] = AGGREGATED_NOTE
    child = out.loc[carried, "child_note"].astype(str)
    # A sum of sums already says it is one.
    out.loc[carried, "note"] = child.where(
        child.str.startswith(AGGREGATED_NOTE), AGGREGATED_NOTE + "; " + child
    )
    out = out.drop(columns=["child_note"])
    out["aggregated"] = True
    return out
