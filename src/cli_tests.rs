//! Tests of the command line parser (`cli.rs`).

use super::*;

fn args(s: &[&str]) -> Vec<String> {
    s.iter().map(|a| (*a).to_owned()).collect()
}

#[test]
fn parses_the_documented_commands() {
    assert_eq!(parse(&args(&[])), Ok(Command::Serve { demo: false }));
    assert_eq!(parse(&args(&["--demo"])), Ok(Command::Serve { demo: true }));
    assert_eq!(
        parse(&args(&["serve", "--demo"])),
        Ok(Command::Serve { demo: true })
    );
    assert_eq!(parse(&args(&["migrate"])), Ok(Command::Migrate));
    assert_eq!(
        parse(&args(&["retention", "scan"])),
        Ok(Command::RetentionScan)
    );
    assert!(parse(&args(&["retention"])).is_err());
    assert_eq!(
        parse(&args(&[
            "create-admin",
            "--login",
            "ala",
            "--centre",
            "CIS X"
        ])),
        Ok(Command::CreateAdmin {
            login: "ala".into(),
            name: None,
            centre: Some("CIS X".into()),
            city: None
        })
    );
    assert!(parse(&args(&["create-admin"])).is_err());
    assert_eq!(
        parse(&args(&[
            "seed",
            "--participants",
            "1000",
            "--centre",
            "CIS X"
        ])),
        Ok(Command::Seed {
            participants: 1000,
            centre: "CIS X".into(),
            attendance_centres: None
        })
    );
    assert!(parse(&args(&["seed", "--participants", "zero", "--centre", "X"])).is_err());
    assert_eq!(parse(&args(&["audit", "verify"])), Ok(Command::AuditVerify));
    assert!(parse(&args(&["audit"])).is_err());
    assert!(parse(&args(&["audit", "verify", "--x"])).is_err());
    assert!(parse(&args(&["migrate", "--force"])).is_err());
    assert!(parse(&args(&["bogus"])).is_err());
    assert_eq!(
        parse(&args(&["backup", "/var/backups/t.dump"])),
        Ok(Command::Backup {
            file: "/var/backups/t.dump".into()
        })
    );
    assert!(parse(&args(&["backup"])).is_err());
    assert!(parse(&args(&["backup", "--check-login"])).is_err());
    assert_eq!(
        parse(&args(&["restore", "t.dump", "--check-login", "ala"])),
        Ok(Command::Restore {
            file: "t.dump".into(),
            check_login: Some("ala".into())
        })
    );
    assert_eq!(
        parse(&args(&["restore", "t.dump"])),
        Ok(Command::Restore {
            file: "t.dump".into(),
            check_login: None
        })
    );
    assert!(parse(&args(&["restore", "t.dump", "--check-login"])).is_err());
    assert!(parse(&args(&["restore", "t.dump", "--password", "x"])).is_err());
}
