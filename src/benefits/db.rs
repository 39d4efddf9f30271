//! The monthly close's tables: the month's state, the frozen statements, the corrections.

use serde_json::{Value, json};
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::compute::Computed;
use crate::validate::dates;

/// A month's state (no row: open and never closed).
#[derive(Debug, Clone)]
pub struct MonthState {
    /// Closed now.
    pub closed: bool,
    /// The revision of the statements frozen last.
    pub revision: i32,
    /// Who closed it last.
    pub closed_by: String,
    /// When.
    pub closed_at: OffsetDateTime,
    /// Who reopened it last, if anyone.
    pub reopened_by: Option<String>,
    /// When.
    pub reopened_at: Option<OffsetDateTime>,
    /// Why.
    pub reopen_reason: Option<String>,
}

/// The state of `centre_id`'s `month`.
pub async fn month_state(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    month: Date,
) -> sqlx::Result<Option<MonthState>> {
    sqlx::query_as!(
        MonthState,
        r#"select m.closed, m.revision, c.full_name as closed_by, m.closed_at,
                  r.full_name as "reopened_by?", m.reopened_at, m.reopen_reason
           from benefit_month m
           join staff_user c on c.staff_user_id = m.closed_by
           left join staff_user r on r.staff_user_id = m.reopened_by
           where m.centre_id = $1 and m.month = $2"#,
        centre_id,
        month
    )
    .fetch_optional(db)
    .await
}

/// A frozen statement.
#[derive(Debug, Clone)]
pub struct Frozen {
    /// The participant.
    pub participant_id: Uuid,
    /// The monthly base.
    pub base_grosze: i32,
    /// The benefit.
    pub benefit_grosze: i32,
    /// The bonus.
    pub bonus_grosze: i32,
    /// Lines, warnings, counts, period.
    pub explanation: Value,
}

/// The statements of `revision` of `centre_id`'s `month` (one participant: `only`).
pub async fn frozen(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    month: Date,
    revision: i32,
    only: Option<Uuid>,
) -> sqlx::Result<Vec<Frozen>> {
    sqlx::query_as!(
        Frozen,
        "select participant_id, base_grosze, benefit_grosze, bonus_grosze, explanation
         from benefit_statement
         where centre_id = $1 and month = $2 and revision = $3
           and ($4::uuid is null or participant_id = $4)",
        centre_id,
        month,
        revision,
        only
    )
    .fetch_all(db)
    .await
}

/// What a statement keeps beside its amounts: the period, the counts, the lines, the warnings.
pub fn explanation(c: &Computed, month: Date) -> Value {
    let (from, to) = c.person.period(month);
    let s = &c.statement;
    let lines: Vec<Value> = s
        .lines
        .iter()
        .map(|l| json!([l.text, l.amount_grosze]))
        .collect();
    json!({
        "from": dates::iso(from),
        "to": dates::iso(to),
        "present": s.counts.present,
        "minutes": s.counts.minutes_present,
        "sick": s.counts.sick,
        "justified": s.counts.justified,
        "unjustified": s.counts.unjustified,
        "days_off": s.counts.days_off,
        "missing": s.counts.missing_entries,
        "lines": lines,
        "warnings": s.warnings,
    })
}

/// Freezes `computed` as `revision` of the month, in one statement.
pub async fn freeze(
    conn: &mut PgConnection,
    centre_id: Uuid,
    month: Date,
    revision: i32,
    computed: &[Computed],
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = computed.iter().map(|c| c.person.participant_id).collect();
    let amount = |f: fn(&Computed) -> i64| -> Vec<i32> {
        computed
            .iter()
            .map(|c| i32::try_from(f(c)).unwrap_or(i32::MAX))
            .collect()
    };
    let base = amount(|c| c.statement.base_grosze);
    let benefit = amount(|c| c.statement.benefit_grosze);
    let bonus = amount(|c| c.statement.bonus_grosze);
    let explanations: Vec<Value> = computed.iter().map(|c| explanation(c, month)).collect();
    sqlx::query!(
        "insert into benefit_statement (participant_id, month, revision, centre_id, base_grosze,
                                        benefit_grosze, bonus_grosze, explanation)
         select u.id, $1, $2, $3, u.base, u.benefit, u.bonus, u.explanation
         from unnest($4::uuid[], $5::int[], $6::int[], $7::int[], $8::jsonb[])
              as u(id, base, benefit, bonus, explanation)",
        month,
        revision,
        centre_id,
        &ids,
        &base,
        &benefit,
        &bonus,
        &explanations
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A difference between a frozen revision and a recomputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The participant.
    pub participant_id: Uuid,
    /// New benefit minus the frozen one.
    pub benefit: i64,
    /// New bonus minus the frozen one.
    pub bonus: i64,
}

/// The participants whose amounts differ between `frozen` and `computed` (someone only in one of
/// them differs by their whole amount).
pub fn differences(frozen: &[Frozen], computed: &[Computed]) -> Vec<Difference> {
    let mut out = Vec::new();
    for c in computed {
        let before = frozen
            .iter()
            .find(|f| f.participant_id == c.person.participant_id);
        let (benefit, bonus) = before.map_or((0, 0), |f| {
            (i64::from(f.benefit_grosze), i64::from(f.bonus_grosze))
        });
        let d = Difference {
            participant_id: c.person.participant_id,
            benefit: c.statement.benefit_grosze - benefit,
            bonus: c.statement.bonus_grosze - bonus,
        };
        if d.benefit != 0 || d.bonus != 0 {
            out.push(d);
        }
    }
    for f in frozen {
        if !computed
            .iter()
            .any(|c| c.person.participant_id == f.participant_id)
            && (f.benefit_grosze != 0 || f.bonus_grosze != 0)
        {
            out.push(Difference {
                participant_id: f.participant_id,
                benefit: -i64::from(f.benefit_grosze),
                bonus: -i64::from(f.bonus_grosze),
            });
        }
    }
    out
}

/// Records `differences` between `from_revision` and `to_revision` as corrections waiting for
/// the next list for the PUP.
#[allow(clippy::too_many_arguments)]
pub async fn record_corrections(
    conn: &mut PgConnection,
    centre_id: Uuid,
    month: Date,
    from_revision: i32,
    to_revision: i32,
    reason: &str,
    by: Uuid,
    differences: &[Difference],
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = differences.iter().map(|d| d.participant_id).collect();
    let benefit: Vec<i32> = differences
        .iter()
        .map(|d| i32::try_from(d.benefit).unwrap_or(0))
        .collect();
    let bonus: Vec<i32> = differences
        .iter()
        .map(|d| i32::try_from(d.bonus).unwrap_or(0))
        .collect();
    sqlx::query!(
        "insert into benefit_correction (participant_id, month, centre_id, from_revision,
                                         to_revision, benefit_diff_grosze, bonus_diff_grosze,
                                         reason, created_by)
         select u.id, $1, $2, $3, $4, u.benefit, u.bonus, $5, $6
         from unnest($7::uuid[], $8::int[], $9::int[]) as u(id, benefit, bonus)",
        month,
        centre_id,
        from_revision,
        to_revision,
        reason,
        by,
        &ids,
        &benefit,
        &bonus
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A correction as the month page lists it.
#[derive(Debug, Clone)]
pub struct Correction {
    /// The month corrected.
    pub month: Date,
    /// The participant.
    pub participant_id: Uuid,
    /// "Surname First names".
    pub name: String,
    /// Benefit difference.
    pub benefit_diff_grosze: i32,
    /// Bonus difference.
    pub bonus_diff_grosze: i32,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// The list it went to (none: waiting for the next).
    pub pup_month: Option<Date>,
}

/// The corrections of `month` itself, and those that went (or wait to go) with its list.
pub async fn corrections(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    month: Date,
) -> sqlx::Result<Vec<Correction>> {
    sqlx::query_as!(
        Correction,
        r#"select c.month, c.participant_id, p.surname || ' ' || p.first_names as "name!",
                  c.benefit_diff_grosze, c.bonus_diff_grosze, c.reason, c.created_at, c.pup_month
           from benefit_correction c join participant p using (participant_id)
           where c.centre_id = $1 and (c.month = $2 or c.pup_month = $2)
           order by c.created_at, p.surname, p.first_names"#,
        centre_id,
        month
    )
    .fetch_all(db)
    .await
}

/// How many corrections wait for the next list for the PUP.
pub async fn pending_corrections(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from benefit_correction
           where centre_id = $1 and pup_month is null"#,
        centre_id
    )
    .fetch_one(db)
    .await
}
