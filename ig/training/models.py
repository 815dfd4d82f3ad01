"""Training completions, exemptions, course assignments and the imports they came from.

Courses themselves live in policies/training.toml and are referred to by code.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.db import Base, enum_type, utcnow
from ig.encrypted import EncryptedBytes, EncryptedText
from ig.rowkeys import RowKeyed


class CompletionSource(enum.StrEnum):
    MANUAL = "manual"
    IMPORT = "import"
    API = "api"


class ImportKind(enum.StrEnum):
    STAFF = "staff"
    COMPLETIONS = "completions"


class ImportStatus(enum.StrEnum):
    CHECKING = "checking"
    CHECKED = "checked"
    IMPORTING = "importing"
    IMPORTED = "imported"
    DISCARDED = "discarded"
    FAILED = "failed"


class TrainingImport(Base):
    """One uploaded file: checked first, then imported whole (valid rows) or discarded.

    ``file_hash`` recognises the same file uploaded again, so a repeat changes nothing.
    The file itself is an ImportFile while the import is open.
    """

    __tablename__ = "training_imports"
    __table_args__ = (Index("ix_training_imports_kind_file_hash", "kind", "file_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(enum_type(ImportKind, "import_kind"), nullable=False)
    status: Mapped[ImportStatus] = mapped_column(
        enum_type(ImportStatus, "import_status"), nullable=False, default=ImportStatus.CHECKING
    )
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    file_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    rows_checked: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_valid: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(nullable=False, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()


class ImportFile(RowKeyed, Base):
    """The bytes of an open import's file, encrypted in their row like other case detail.

    In the database, not on one machine's disk, so that whichever app server checks or
    applies the import reads them. A table of its own, so that listing imports never
    reads them; the row goes once the import is imported, discarded or failed.
    """

    __tablename__ = "training_import_files"
    __table_args__ = (UniqueConstraint("import_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("training_imports.id", ondelete="CASCADE"), nullable=False
    )
    data: Mapped[bytes] = mapped_column(
        EncryptedBytes("training_import_files.data"),
        nullable=False,
        comment="an uploaded staff register or completions export",
    )


class ImportRejection(Base):
    """A row of an import that failed its checks, by line number, with the reason."""

    __tablename__ = "training_import_rejections"
    __table_args__ = (Index("ix_training_import_rejections_import_id_line", "import_id", "line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("training_imports.id", ondelete="CASCADE"), nullable=False
    )
    line: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)


class Completion(Base):
    """A member of staff completed a course on a date.

    ``recorded_at`` is when ig learned of it: a figure for a past date counts only
    completions recorded by then, so last year's reported figure can be reproduced.
    """

    __tablename__ = "training_completions"
    __table_args__ = (
        UniqueConstraint("staff_id", "course_code", "completed_on"),
        Index(
            "ix_training_completions_lookup",
            "staff_id",
            "course_code",
            "completed_on",
            "recorded_at",
        ),
        Index("ix_training_completions_import_id", "import_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )
    course_code: Mapped[str] = mapped_column(String(40), nullable=False)
    completed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    source: Mapped[CompletionSource] = mapped_column(
        enum_type(CompletionSource, "completion_source"), nullable=False
    )
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_imports.id", ondelete="RESTRICT")
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(nullable=False, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Exemption(RowKeyed, Base):
    """A person is out of a course's denominator from ``starts_on`` to ``ends_on``."""

    __tablename__ = "training_exemptions"
    __table_args__ = (
        Index("ix_training_exemptions_staff_id_course_code", "staff_id", "course_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )
    course_code: Mapped[str] = mapped_column(String(40), nullable=False)
    reason: Mapped[str] = mapped_column(
        EncryptedText("training_exemptions.reason"),
        nullable=False,
        comment="why a member of staff is exempt from a course (may mention health or leave)",
    )
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(nullable=False, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Assignment(RowKeyed, Base):
    """A course someone must (re)take by a date, for example after an incident.

    Done for a person once they complete the course on or after ``assigned_on``.
    """

    __tablename__ = "training_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(String(40), nullable=False)
    assigned_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(
        EncryptedText("training_assignments.reason"),
        nullable=False,
        comment="why a course was assigned (may describe an incident)",
    )
    source_ref: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(nullable=False, default=utcnow)

    people: Mapped[list[AssignmentStaff]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )


class AssignmentStaff(Base):
    """One person an assignment applies to."""

    __tablename__ = "training_assignment_staff"
    __table_args__ = (
        UniqueConstraint("assignment_id", "staff_id"),
        Index("ix_training_assignment_staff_staff_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("training_assignments.id", ondelete="CASCADE"), nullable=False
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )

    assignment: Mapped[Assignment] = relationship(back_populates="people")


class ImportRow(Base):
    """A checked, valid completion row waiting for the person's decision.

    Staged in the database rather than in memory, so a 100,000-row file costs no more
    memory than a small one; applying it is then one INSERT ... SELECT.
    """

    __tablename__ = "training_import_rows"
    __table_args__ = (
        Index(
            "ix_training_import_rows_key",
            "import_id",
            "staff_id",
            "course_code",
            "completed_on",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("training_imports.id", ondelete="CASCADE"), nullable=False
    )
    line: Mapped[int] = mapped_column(Integer, nullable=False)
    staff_id: Mapped[int] = mapped_column(Integer, nullable=False)
    course_code: Mapped[str] = mapped_column(String(40), nullable=False)
    completed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
