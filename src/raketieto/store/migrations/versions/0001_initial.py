"""Initial operational store: users, reports, review, themes, proposals, notifications, audit.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copies of the enums at this revision: a migration must not change when the code does.
ROLES = ("public", "worker", "coordinator", "national_admin")
SERVICE_TASKS = (
    "older_people",
    "families_with_children",
    "child_welfare",
    "family_law",
    "substance_abuse",
    "working_age",
    "disability",
)
OBSERVATION_KINDS = ("grievance", "emerging_phenomenon", "service_gap", "good_practice")
REPORT_STATUSES = ("draft", "submitted", "changes_requested", "accepted", "merged", "archived")
DECISIONS = ("accept", "request_changes", "merge", "archive")
RECIPIENT_KINDS = (
    "county_sectors",
    "municipalities",
    "top_management",
    "political_decision_makers",
    "national_level",
)
PROPOSAL_STATUSES = ("draft", "sent", "answered", "implemented", "declined")
NOTIFICATION_KINDS = (
    "report_accepted",
    "changes_requested",
    "report_merged",
    "report_archived",
    "proposal_updated",
)

AUDIT_REFUSAL = "audit_entries is append-only"


def _one_of(table: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"ck_{table}_{column}")


def _ts(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table, index and the audit trail's append-only guard."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("oidc_subject", sa.String(255)),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(8)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _ts("locked_until"),
        _ts("last_login_at"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.UniqueConstraint("oidc_subject", name="uq_users_oidc_subject"),
        _one_of("users", "role", ROLES),
        sa.CheckConstraint("failed_logins >= 0", name="ck_users_failed_logins"),
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("county_code", sa.String(8), nullable=False),
        sa.Column("phenomenon_id", sa.String(64)),
        sa.Column("half_year", sa.String(7), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("approved_by", sa.Integer()),
        _ts("approved_at"),
        sa.Column("created_by", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_themes"),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name="fk_themes_approved_by_users"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_themes_created_by_users"),
    )
    op.create_index("ix_themes_county_code_half_year", "themes", ["county_code", "half_year"])
    op.create_table(
        "social_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("county_code", sa.String(8), nullable=False),
        sa.Column("region_code", sa.String(8)),
        sa.Column("phenomenon_id", sa.String(64)),
        sa.Column("emerging_name", sa.String(200)),
        sa.Column("service_task", sa.String(32)),
        sa.Column("support_needs", sa.JSON(), nullable=False),
        sa.Column("target_group", sa.String(200)),
        sa.Column("observation_kind", sa.String(32)),
        sa.Column("description", sa.Text()),
        sa.Column("estimated_clients", sa.Integer()),
        sa.Column("proposed_action", sa.Text()),
        sa.Column("merged_into_id", sa.Integer()),
        sa.Column("theme_id", sa.Integer()),
        sa.Column("submitted_half_year", sa.String(7)),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        _ts("submitted_at"),
        _ts("decided_at"),
        sa.PrimaryKeyConstraint("id", name="pk_social_reports"),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name="fk_social_reports_reporter_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["social_reports.id"],
            name="fk_social_reports_merged_into_id_social_reports",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name="fk_social_reports_theme_id_themes"
        ),
        _one_of("social_reports", "status", REPORT_STATUSES),
        _one_of("social_reports", "service_task", SERVICE_TASKS),
        _one_of("social_reports", "observation_kind", OBSERVATION_KINDS),
        sa.CheckConstraint(
            "estimated_clients IS NULL OR estimated_clients >= 0",
            name="ck_social_reports_estimated_clients",
        ),
    )
    op.create_index("ix_social_reports_reporter_id", "social_reports", ["reporter_id"])
    op.create_index("ix_social_reports_theme_id", "social_reports", ["theme_id"])
    op.create_index(
        "ix_social_reports_county_code_status", "social_reports", ["county_code", "status"]
    )
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(100), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        _ts("submitted_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_report_submissions"),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name="fk_report_submissions_reporter_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["social_reports.id"],
            name="fk_report_submissions_report_id_social_reports",
        ),
        sa.UniqueConstraint(
            "reporter_id",
            "idempotency_key",
            name="uq_report_submissions_reporter_id_idempotency_key",
        ),
    )
    op.create_index("ix_report_submissions_report_id", "report_submissions", ["report_id"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=False),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("merged_into_id", sa.Integer()),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_decisions"),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["social_reports.id"],
            name="fk_review_decisions_report_id_social_reports",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name="fk_review_decisions_reviewer_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["social_reports.id"],
            name="fk_review_decisions_merged_into_id_social_reports",
        ),
        _one_of("review_decisions", "decision", DECISIONS),
    )
    op.create_index("ix_review_decisions_report_id", "review_decisions", ["report_id"])
    op.create_table(
        "review_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_messages"),
        sa.ForeignKeyConstraint(
            ["report_id"], ["social_reports.id"], name="fk_review_messages_report_id_social_reports"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name="fk_review_messages_author_id_users"
        ),
    )
    op.create_index("ix_review_messages_report_id", "review_messages", ["report_id"])
    op.create_table(
        "action_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("county_code", sa.String(8), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("recipient_kind", sa.String(32), nullable=False),
        sa.Column("recipient_name", sa.String(200)),
        sa.Column("phenomenon_id", sa.String(64)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("answer_text", sa.Text()),
        sa.Column("created_by", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        _ts("sent_at"),
        _ts("answered_at"),
        _ts("closed_at"),
        sa.PrimaryKeyConstraint("id", name="pk_action_proposals"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name="fk_action_proposals_created_by_users"
        ),
        _one_of("action_proposals", "recipient_kind", RECIPIENT_KINDS),
        _one_of("action_proposals", "status", PROPOSAL_STATUSES),
    )
    op.create_index(
        "ix_action_proposals_county_code_status", "action_proposals", ["county_code", "status"]
    )
    op.create_table(
        "proposal_reports",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", "report_id", name="pk_proposal_reports"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["action_proposals.id"],
            name="fk_proposal_reports_proposal_id_action_proposals",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["social_reports.id"],
            name="fk_proposal_reports_report_id_social_reports",
        ),
    )
    op.create_table(
        "proposal_indicators",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id", "indicator_id", name="pk_proposal_indicators"),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["action_proposals.id"],
            name="fk_proposal_indicators_proposal_id_action_proposals",
        ),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("report_id", sa.Integer()),
        sa.Column("proposal_id", sa.Integer()),
        sa.Column("message", sa.Text(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("read_at"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notifications_user_id_users"),
        sa.ForeignKeyConstraint(
            ["report_id"], ["social_reports.id"], name="fk_notifications_report_id_social_reports"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["action_proposals.id"],
            name="fk_notifications_proposal_id_action_proposals",
        ),
        _one_of("notifications", "kind", NOTIFICATION_KINDS),
    )
    op.create_index("ix_notifications_user_id", "notifications", ["user_id"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        _ts("at", nullable=False),
        sa.Column("actor_id", sa.Integer()),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("actor_county", sa.String(8)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(64)),
        sa.Column("county_code", sa.String(8)),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
        _one_of("audit_entries", "actor_role", ROLES),
    )
    op.create_index("ix_audit_entries_county_code_at", "audit_entries", ["county_code", "at"])
    op.create_index(
        "ix_audit_entries_object_type_object_id", "audit_entries", ["object_type", "object_id"]
    )
    _protect_audit()


def _protect_audit() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{AUDIT_REFUSAL}: % refused', TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
                f"BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL}: {event} refused'); END"
            )


def downgrade() -> None:
    """Drop everything upgrade created, the audit guard first."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
        op.execute("DROP TRIGGER audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_delete")
        op.execute("DROP TRIGGER audit_entries_no_update")
    for table in (
        "audit_entries",
        "notifications",
        "proposal_indicators",
        "proposal_reports",
        "action_proposals",
        "review_messages",
        "review_decisions",
        "report_submissions",
        "social_reports",
        "themes",
        "users",
    ):
        op.drop_table(table)
