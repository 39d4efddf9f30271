//! The checks after a restore: the schema is exactly the one this binary's migrations make,
//! every table's rows are counted, the audit chain is verified, the application role can use
//! the database, and (when asked) one account's password is accepted.

use std::collections::HashMap;

use sqlx::PgPool;

use crate::audit;
use crate::auth::normalize_login;
use crate::db::{APP_ROLE, MIGRATOR};
use crate::security::password::Passwords;

/// What the checks found: lines to print, and the failed checks (empty when all passed).
#[derive(Debug, Default)]
pub struct Report {
    /// The report, a line each.
    pub lines: Vec<String>,
    /// One line for each failed check.
    pub failures: Vec<String>,
}

impl Report {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The printed report.
    pub fn text(&self) -> String {
        let mut out = self.lines.join("\n");
        if self.passed() {
            out.push_str("\nWszystkie sprawdzenia zakończone powodzeniem.");
        } else {
            out.push_str("\nNIEUDANE SPRAWDZENIA:");
            for failure in &self.failures {
                out.push_str(&format!("\n  - {failure}"));
            }
        }
        out
    }

    fn fail(&mut self, failure: String) {
        self.lines.push(format!("BŁĄD: {failure}"));
        self.failures.push(failure);
    }
}

/// Runs every check on `pool` (connected as the schema owner); `login` is an account and the
/// password to try.
pub async fn check(pool: &PgPool, login: Option<(&str, &str)>) -> anyhow::Result<Report> {
    let mut report = Report::default();
    migrations(pool, &mut report).await?;
    row_counts(pool, &mut report).await?;
    match audit::seal::verify(pool).await {
        Ok(verification) => {
            report.lines.push(verification.report());
            if let Some((seal, problem)) = verification.broken {
                report.fail(format!(
                    "łańcuch pieczęci dziennika zdarzeń jest naruszony (pieczęć nr {seal}: {problem})"
                ));
            }
        }
        Err(e) => report.fail(format!(
            "nie udało się sprawdzić łańcucha pieczęci dziennika zdarzeń: {e}"
        )),
    }
    app_role(pool, &mut report).await?;
    if let Some((login, password)) = login {
        check_login(pool, login, password, &mut report).await?;
    }
    Ok(report)
}

/// Every migration of this binary applied with the same checksum, none failed, none unknown.
async fn migrations(pool: &PgPool, report: &mut Report) -> anyhow::Result<()> {
    let exists: bool = sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
        .fetch_one(pool)
        .await?;
    if !exists {
        report.fail("brak tabeli _sqlx_migrations: to nie jest baza Teczki".to_owned());
        return Ok(());
    }
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("select version, checksum, success from _sqlx_migrations order by version")
            .fetch_all(pool)
            .await?;
    let known: HashMap<i64, &[u8]> = MIGRATOR
        .iter()
        .map(|m| (m.version, m.checksum.as_ref()))
        .collect();
    let applied_versions: Vec<i64> = applied.iter().map(|(v, ..)| *v).collect();
    let pending: Vec<i64> = MIGRATOR
        .iter()
        .map(|m| m.version)
        .filter(|v| !applied_versions.contains(v))
        .collect();
    let list = |versions: Vec<i64>| {
        versions
            .iter()
            .map(|v| format!("{v:04}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown = applied_versions
        .iter()
        .copied()
        .filter(|v| !known.contains_key(v))
        .collect::<Vec<_>>();
    let failed = applied
        .iter()
        .filter(|(_, _, success)| !success)
        .map(|(v, ..)| *v)
        .collect::<Vec<_>>();
    let changed = applied
        .iter()
        .filter(|(v, checksum, _)| known.get(v).is_some_and(|k| *k != checksum.as_slice()))
        .map(|(v, ..)| *v)
        .collect::<Vec<_>>();
    let clean = pending.is_empty() && unknown.is_empty() && failed.is_empty() && changed.is_empty();
    if !pending.is_empty() {
        report.fail(format!(
            "migracje nie zastosowane w kopii: {} (kopia starszej wersji: uruchom `teczka migrate`, potem sprawdź znowu)",
            list(pending)
        ));
    }
    if !unknown.is_empty() {
        report.fail(format!(
            "migracje nieznane tej wersji programu: {} (kopia nowszej wersji: przywróć nowszym programem)",
            list(unknown)
        ));
    }
    if !failed.is_empty() {
        report.fail(format!("migracje nieudane: {}", list(failed)));
    }
    if !changed.is_empty() {
        report.fail(format!(
            "migracje o innej treści niż w tej wersji programu: {}",
            list(changed)
        ));
    }
    if clean {
        report.lines.push(format!(
            "Migracje: aktualne ({} zastosowanych, ostatnia {:04}).",
            applied.len(),
            applied_versions.last().copied().unwrap_or_default()
        ));
    }
    Ok(())
}

/// The rows of every table of the schema, counted.
async fn row_counts(pool: &PgPool, report: &mut Report) -> anyhow::Result<()> {
    // `format('%I')` quotes the names inside PostgreSQL; nothing is spliced into SQL here.
    let counts = sqlx::query!(
        r#"select c.relname::text as "table!",
                  (xpath('/row/n/text()',
                         query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname),
                                      false, true, '')))[1]::text::bigint as "rows!"
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
           order by c.relname"#
    )
    .fetch_all(pool)
    .await?;
    let width = counts.iter().map(|c| c.table.len()).max().unwrap_or(0);
    let total: i64 = counts.iter().map(|c| c.rows).sum();
    report.lines.push(format!(
        "Wiersze w tabelach ({} tabel, razem {total}):",
        counts.len()
    ));
    for count in counts {
        report
            .lines
            .push(format!("  {:<width$} {:>10}", count.table, count.rows));
    }
    Ok(())
}

/// The application role exists and may connect, use the schema and read the accounts (its
/// privileges come from the archive, as the migrations set them).
async fn app_role(pool: &PgPool, report: &mut Report) -> anyhow::Result<()> {
    let usable = sqlx::query_scalar!(
        r#"select exists (select 1 from pg_roles where rolname = $1)
                  and has_database_privilege($1, current_database(), 'CONNECT')
                  and has_schema_privilege($1, 'public', 'USAGE')
                  and has_table_privilege($1, 'public.staff_user', 'SELECT') as "usable!""#,
        APP_ROLE
    )
    .fetch_one(pool)
    .await?;
    if usable {
        report.lines.push(format!(
            "Rola aplikacji {APP_ROLE}: może się połączyć i czytać konta."
        ));
    } else {
        report.fail(format!(
            "rola aplikacji {APP_ROLE} nie ma uprawnień nadanych przez migracje"
        ));
    }
    Ok(())
}

/// The account exists, is active, and `password` matches its stored hash, checked by the same
/// code the login form uses ([`Passwords::verify`]). Nothing is written (no session, no audit
/// row, no throttle counter).
async fn check_login(
    pool: &PgPool,
    login: &str,
    password: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let login = normalize_login(login);
    let account = sqlx::query!(
        "select password_hash, active from staff_user where login = $1",
        login
    )
    .fetch_optional(pool)
    .await?;
    let Some(account) = account else {
        report.fail(format!("nie ma konta `{login}`"));
        return Ok(());
    };
    let matches = Passwords::new(1)?
        .verify(password.to_owned(), Some(account.password_hash))
        .await?;
    match (matches, account.active) {
        (true, true) => report
            .lines
            .push(format!("Logowanie: hasło konta `{login}` przyjęte.")),
        (true, false) => report.fail(format!("konto `{login}` jest wyłączone")),
        (false, _) => report.fail(format!("hasło konta `{login}` nie pasuje")),
    }
    Ok(())
}
