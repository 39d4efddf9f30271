-- Teczka schema, part 26: the data-protection officer (Inspektor ochrony danych, GDPR art. 37–39).
-- The role sees no case content: no participant list, no file, no document. What it reads is the
-- centre's audit log and the data-protection tools, through the policy (auth/policy) and, for
-- the log itself, through SECURITY DEFINER functions (the app role cannot read audit_event).
alter type staff_role add value if not exists 'dpo';
