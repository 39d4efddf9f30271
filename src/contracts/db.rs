//! The social contract's own queries (the engine's tables are `documents::db`'s): a
//! participant's contracts and their renewals, the realization log, the quarterly notes (in the
//! engine's monitoring table) and Part II. Every query takes the actor's centre or a document
//! the caller found in it.

use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::documents::version::Sections;
use crate::documents::workflow::DocStatus;
use crate::domain::vocabulary;

/// One of a participant's contracts, as the list on the file shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContractRow {
    pub document_id: Uuid,
    pub status: DocStatus,
    pub current_version: i32,
    /// The contract this one renews.
    pub follows: Option<Uuid>,
    /// The contract that renews this one.
    pub followed_by: Option<Uuid>,
    pub outcome: Option<Outcome>,
    /// A version the client signed still binds (while an amendment is on its way).
    pub in_force: bool,
    pub period: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A participant's contracts, newest first.
pub async fn contracts_of(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    participant_id: Uuid,
) -> sqlx::Result<Vec<ContractRow>> {
    sqlx::query_as!(
        ContractRow,
        r#"select d.document_id, d.status as "status: DocStatus", d.current_version, d.follows,
                  (select n.document_id from document n where n.follows = d.document_id
                   order by n.created_at limit 1) as "followed_by?",
                  e.outcome as "outcome?: Outcome",
                  exists (select 1 from document_version f where f.document_id = d.document_id
                          and f.status in ('signed', 'in_realization')) as "in_force!",
                  (select (select t.value ->> 1 from jsonb_array_elements(v.sections) t where t.value ->> 0 = 'period.from')
                          || ' – ' ||
                          (select t.value ->> 1 from jsonb_array_elements(v.sections) t where t.value ->> 0 = 'period.until')
                   from document_version v where v.document_id = d.document_id and v.number = d.current_version) as period,
                  d.created_at
           from document d left join contract_evaluation e on e.document_id = d.document_id and e.status = 'approved'
           where d.centre_id = $1 and d.participant_id = $2 and d.kind = 'social_contract'
           order by d.created_at desc"#,
        centre_id,
        participant_id
    )
    .fetch_all(db)
    .await
}

/// Starts a contract (a renewal when `follows` is given): the document in draft with its first
/// version.
pub async fn create(
    conn: &mut PgConnection,
    centre_id: Uuid,
    participant_id: Uuid,
    author_id: Uuid,
    sections: &Sections,
    follows: Option<Uuid>,
) -> sqlx::Result<Uuid> {
    let id = crate::documents::db::create(
        &mut *conn,
        centre_id,
        participant_id,
        crate::documents::db::DocumentKind::SocialContract,
        author_id,
        sections,
    )
    .await?;
    if follows.is_some() {
        sqlx::query!(
            "update document set follows = $2 where document_id = $1",
            id,
            follows
        )
        .execute(conn)
        .await?;
    }
    Ok(id)
}

vocabulary! {
    /// What the social worker records while a contract runs.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "contract_record_kind", rename_all = "snake_case")]
    pub enum RecordKind {
        /// Podjęte działanie.
        Action = ("action", "Działanie"),
        /// Wydane skierowanie.
        Referral = ("referral", "Skierowanie"),
        /// Wniosek o świadczenie (np. zasiłek celowy).
        BenefitApplication = ("benefit_application", "Wniosek o świadczenie"),
        /// Obecność na spotkaniu grupowym.
        GroupMeeting = ("group_meeting", "Spotkanie grupowe"),
    }
}

vocabulary! {
    /// How far an action was carried out.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "action_result", rename_all = "snake_case")]
    pub enum ActionResult {
        /// Wykonane.
        Done = ("done", "wykonane"),
        /// Wykonane częściowo.
        Partly = ("partly", "wykonane częściowo"),
        /// Niewykonane.
        NotDone = ("not_done", "niewykonane"),
    }
}

vocabulary! {
    /// Part II's outcome (seed 001, part VI).
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "contract_outcome", rename_all = "snake_case")]
    pub enum Outcome {
        /// Zakończony pozytywnie.
        Positive = ("positive", "zakończony pozytywnie"),
        /// Zerwany: the client did not act and does not want to continue.
        Broken = ("broken", "zerwany"),
        /// New specific goals: a new, full contract follows.
        NewGoals = ("new_goals", "nowe cele – nowy kontrakt"),
    }
}

/// One entry of the realization log, as shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Record {
    pub kind: RecordKind,
    pub happened_on: Date,
    pub description: String,
    pub planned_action: Option<i32>,
    pub result: Option<ActionResult>,
    pub record_type: Option<String>,
    pub addressee: Option<String>,
    pub author_name: String,
}

/// A new entry of the realization log.
pub struct NewRecord<'a> {
    pub kind: RecordKind,
    pub happened_on: Date,
    pub description: &'a str,
    pub planned_action: Option<i32>,
    pub result: Option<ActionResult>,
    pub record_type: Option<&'a str>,
    pub addressee: Option<&'a str>,
}

/// Appends `r` to contract `document_id`'s log.
pub async fn add_record(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    document_id: Uuid,
    r: &NewRecord<'_>,
    by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into contract_record (document_id, centre_id, kind, happened_on, description,
                                        planned_action, result, record_type, addressee, author_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        document_id,
        centre_id,
        r.kind as RecordKind,
        r.happened_on,
        r.description,
        r.planned_action,
        r.result as Option<ActionResult>,
        r.record_type,
        r.addressee,
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A contract's log, newest first.
pub async fn records(db: impl PgExecutor<'_>, document_id: Uuid) -> sqlx::Result<Vec<Record>> {
    sqlx::query_as!(
        Record,
        r#"select r.kind as "kind: RecordKind", r.happened_on, r.description, r.planned_action,
                  r.result as "result: ActionResult", r.record_type, r.addressee,
                  s.full_name as author_name
           from contract_record r join staff_user s on s.staff_user_id = r.author_id
           where r.document_id = $1 order by r.happened_on desc, r.created_at desc"#,
        document_id
    )
    .fetch_all(db)
    .await
}

/// One quarterly note, as shown.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Note {
    pub version: i32,
    pub entry_on: Date,
    pub course: String,
    pub planned: Option<String>,
    pub changes: Option<String>,
    pub author_name: String,
}

/// Appends a quarterly note (the engine's monitoring entry, "during").
#[allow(clippy::too_many_arguments)]
pub async fn add_note(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    document_id: Uuid,
    version: i32,
    entry_on: Date,
    course: &str,
    planned: &str,
    changes: &str,
    by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into document_monitoring (document_id, centre_id, version, phase, entry_on, situation, planned, changes, author_id)
           values ($1, $2, $3, 'during', $4, $5, nullif($6, ''), nullif($7, ''), $8)"#,
        document_id,
        centre_id,
        version,
        entry_on,
        course,
        planned,
        changes,
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A contract's quarterly notes, newest first.
pub async fn notes(db: impl PgExecutor<'_>, document_id: Uuid) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as!(
        Note,
        r#"select m.version, m.entry_on, m.situation as course, m.planned, m.changes,
                  s.full_name as author_name
           from document_monitoring m join staff_user s on s.staff_user_id = m.author_id
           where m.document_id = $1 order by m.entry_on desc, m.created_at desc"#,
        document_id
    )
    .fetch_all(db)
    .await
}

/// Part II, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Evaluation {
    pub status: DocStatus,
    pub outcome: Outcome,
    pub evaluated_on: Date,
    pub gained: String,
    pub towards_goal: String,
    pub revision: i32,
    pub author_id: Uuid,
    pub author_name: String,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<OffsetDateTime>,
}

/// Contract `document_id`'s Part II, if written (`lock`: for the rest of the transaction).
pub async fn evaluation(
    db: impl PgExecutor<'_>,
    document_id: Uuid,
) -> sqlx::Result<Option<Evaluation>> {
    sqlx::query_as!(
        Evaluation,
        r#"select e.status as "status: DocStatus", e.outcome as "outcome: Outcome", e.evaluated_on,
                  e.gained, e.towards_goal, e.revision, e.author_id, a.full_name as author_name,
                  m.full_name as "approved_by_name?", e.approved_at
           from contract_evaluation e join staff_user a on a.staff_user_id = e.author_id
           left join staff_user m on m.staff_user_id = e.approved_by
           where e.document_id = $1"#,
        document_id
    )
    .fetch_optional(db)
    .await
}

/// Part II's text as written.
pub struct EvaluationText<'a> {
    pub outcome: Outcome,
    pub evaluated_on: Date,
    pub gained: &'a str,
    pub towards_goal: &'a str,
}

/// Saves Part II of `document_id` as a draft: `revision` 0 writes it for the first time (and
/// only if nobody did since the form was read); a later save only if it is still a draft saved
/// at `revision`. Returns whether it saved.
pub async fn save_evaluation(
    conn: &mut PgConnection,
    centre_id: Uuid,
    document_id: Uuid,
    revision: i32,
    text: &EvaluationText<'_>,
    by: Uuid,
) -> sqlx::Result<bool> {
    let saved = if revision == 0 {
        sqlx::query!(
            r#"insert into contract_evaluation (document_id, centre_id, outcome, evaluated_on, gained, towards_goal, author_id)
               values ($1, $2, $3, $4, $5, $6, $7)
               on conflict (document_id) do nothing"#,
            document_id,
            centre_id,
            text.outcome as Outcome,
            text.evaluated_on,
            text.gained,
            text.towards_goal,
            by
        )
        .execute(conn)
        .await?
    } else {
        sqlx::query!(
            r#"update contract_evaluation
               set outcome = $2, evaluated_on = $3, gained = $4, towards_goal = $5, author_id = $6,
                   revision = revision + 1, updated_at = now()
               where document_id = $1 and status = 'draft' and revision = $7"#,
            document_id,
            text.outcome as Outcome,
            text.evaluated_on,
            text.gained,
            text.towards_goal,
            by,
            revision
        )
        .execute(conn)
        .await?
    };
    Ok(saved.rows_affected() == 1)
}

/// Moves Part II from `from` to `to` if it is still `from`; approval records the approver.
pub async fn move_evaluation(
    conn: &mut PgConnection,
    document_id: Uuid,
    from: DocStatus,
    to: DocStatus,
    approved_by: Option<Uuid>,
) -> sqlx::Result<bool> {
    let moved = sqlx::query!(
        r#"update contract_evaluation set status = $3, approved_by = $4,
                  approved_at = case when $4::uuid is null then null else now() end, updated_at = now()
           where document_id = $1 and status = $2"#,
        document_id,
        from as DocStatus,
        to as DocStatus,
        approved_by
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(moved == 1)
}

/// The version of contract `document_id` in force (signed, running), with its text.
pub async fn in_force(
    db: impl PgExecutor<'_>,
    document_id: Uuid,
) -> sqlx::Result<Option<(i32, Json<Sections>)>> {
    let row = sqlx::query!(
        r#"select number, sections as "sections: Json<Sections>" from document_version
           where document_id = $1 and status in ('signed', 'in_realization')
           order by number desc limit 1"#,
        document_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.number, r.sections)))
}

/// The facts of contract `document_id` its own steps depend on (`flow::State`), with the
/// document's status `status` as locked or found.
pub async fn flow_state(
    db: impl PgExecutor<'_>,
    document_id: Uuid,
    status: DocStatus,
) -> sqlx::Result<super::flow::State> {
    let row = sqlx::query!(
        r#"select exists (select 1 from document_signature g where g.document_id = d.document_id
                          and g.version = d.current_version and g.party = 'manager') as "centre_signed!",
                  exists (select 1 from document_version v where v.document_id = d.document_id
                          and v.status in ('signed', 'in_realization')) as "in_force!",
                  e.status as "evaluation_status?: DocStatus", e.outcome as "outcome?: Outcome",
                  exists (select 1 from document n where n.participant_id = d.participant_id
                          and n.kind = 'social_contract' and n.created_at > d.created_at) as "renewed!"
           from document d left join contract_evaluation e on e.document_id = d.document_id
           where d.document_id = $1"#,
        document_id
    )
    .fetch_one(db)
    .await?;
    Ok(super::flow::State {
        status,
        centre_signed: row.centre_signed,
        in_force: row.in_force,
        evaluation: row.evaluation_status.zip(row.outcome),
        renewed: row.renewed,
    })
}
