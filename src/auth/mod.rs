//! Who is asking and what they may do: server-side sessions and the `CurrentUser` extractor,
//! the login throttle, login-name rules, and the authorization policy (the one place that
//! answers "may this actor do this action?").

pub mod guard;
pub mod participant;
pub mod policy;
pub mod scope;
pub mod second_factor;
pub mod session;
pub mod throttle;

/// Logins are case-insensitive and stored lower-case.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// A login is 3–40 characters of lower-case ASCII letters, digits, `.`, `-` and `_`
/// (the same rule as the database constraint).
pub fn valid_login(login: &str) -> bool {
    (3..=40).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// Accepts only a local path (`/x`), never `//host`, `/\host` or an absolute URL.
pub fn safe_next(next: &str) -> Option<String> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() < 512
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next("/admin/users").as_deref(), Some("/admin/users"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "admin",
            "/a\nb",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn logins_are_plain_ascii_identifiers() {
        assert!(valid_login("socjalny1"));
        assert!(valid_login("a.nowak-2"));
        assert!(!valid_login("ab"));
        assert!(!valid_login("łukasz"));
        assert!(!valid_login("a b c"));
        assert!(!valid_login(&"a".repeat(41)));
    }
}
