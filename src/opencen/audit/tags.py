"""The registry of audit event tags: every kind of event the log can hold, alphabetised.

Apps add their tags here.  docs/audit.md lists them all (a test checks it).
"""

from enum import StrEnum


class EventTag(StrEnum):
    """What happened, as ``<app>.<object>.<verb>``."""

    ACCOUNTS_GROUP_CREATED = "accounts.group.created"
    ACCOUNTS_GROUP_MEMBER_ADDED = "accounts.group.member_added"
    ACCOUNTS_GROUP_MEMBER_REMOVED = "accounts.group.member_removed"
    ACCOUNTS_GROUP_UPDATED = "accounts.group.updated"
    ACCOUNTS_LOGIN_FAILED = "accounts.login.failed"
    ACCOUNTS_LOGIN_LOCKED = "accounts.login.locked"
    ACCOUNTS_LOGIN_SUCCEEDED = "accounts.login.succeeded"
    ACCOUNTS_LOGOUT = "accounts.logout"
    ACCOUNTS_MFA_ENROLLED = "accounts.mfa.enrolled"
    ACCOUNTS_MFA_FAILED = "accounts.mfa.failed"
    ACCOUNTS_MFA_RESET = "accounts.mfa.reset"
    ACCOUNTS_ORGANISATION_CREATED = "accounts.organisation.created"
    ACCOUNTS_ORGANISATION_UPDATED = "accounts.organisation.updated"
    ACCOUNTS_PASSWORD_CHANGED = "accounts.password.changed"
    ACCOUNTS_TOKEN_CREATED = "accounts.token.created"
    ACCOUNTS_TOKEN_REFUSED = "accounts.token.refused"
    ACCOUNTS_TOKEN_REVOKED = "accounts.token.revoked"
    ACCOUNTS_USER_CREATED = "accounts.user.created"
    ACCOUNTS_USER_DEACTIVATED = "accounts.user.deactivated"
    ACCOUNTS_USER_EXPIRED = "accounts.user.expired"
    ACCOUNTS_USER_UNLOCKED = "accounts.user.unlocked"
    ACCOUNTS_USER_UPDATED = "accounts.user.updated"
    AUDIT_CHAIN_VERIFIED = "audit.chain.verified"
    REFERENCE_DATA_IMPORTED = "reference.data.imported"
    REFERENCE_DATA_LOADED = "reference.data.loaded"
    REFERENCE_REGION_UPDATED = "reference.region.updated"
    SEIZURES_CASE_CREATED = "seizures.case.created"
    SEIZURES_CASE_EXPORTED = "seizures.case.exported"
    SEIZURES_CASE_SUBMITTED = "seizures.case.submitted"
    SEIZURES_CASE_UPDATED = "seizures.case.updated"
    SEIZURES_CASE_VALIDATED = "seizures.case.validated"
    SEIZURES_CASE_VIEWED = "seizures.case.viewed"
    SEIZURES_CASE_WITHDRAWN = "seizures.case.withdrawn"
    SEIZURES_IMPORT_FINISHED = "seizures.import.finished"
    SEIZURES_IMPORT_REJECTED = "seizures.import.rejected"
