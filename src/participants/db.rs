//! Queries on participants. Every query takes the actor's centre: a participant of another
//! centre is never loaded, so it answers 404 like a missing one.

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::form::ParticipantData;
use super::model::{
    Applicant, ContractType, DocumentKind, GraduationOutcome, Referrer, TerminationReason,
};
use super::pesel::Sex;
use crate::auth::policy::ParticipantFacts;
use crate::domain::Role;
use crate::domain::{Category, Status};

/// The policy's facts about one participant, plus its version.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub facts: ParticipantFacts,
    pub version: i32,
}

/// Loads the facts the policy needs; `None` when the id is not a participant of the centre.
pub async fn facts(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Facts>> {
    let row = sqlx::query!(
        r#"
        select p.social_worker_id, p.status as "status: Status", p.version,
               exists (select 1 from workshop_membership m join workshop w using (workshop_id)
                       where m.participant_id = p.participant_id and m.member_until is null
                         and w.instructor_id = $3) as "in_workshop!"
        from participant p
        where p.centre_id = $1 and p.participant_id = $2
        "#,
        centre_id,
        id,
        actor_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Facts {
        facts: ParticipantFacts {
            social_worker_id: r.social_worker_id,
            status: r.status,
            in_actor_workshop: r.in_workshop,
        },
        version: r.version,
    }))
}

/// Locks the participant row for the rest of the transaction and returns its facts.
pub async fn lock(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    actor_id: Uuid,
) -> sqlx::Result<Option<Facts>> {
    let found = sqlx::query_scalar!("select participant_id from participant where centre_id = $1 and participant_id = $2 for update", centre_id, id)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some(_) => facts(&mut *conn, centre_id, id, actor_id).await,
        None => Ok(None),
    }
}

/// A participant's whole record.
#[derive(Debug, Clone)]
pub struct Record {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub pesel: Option<String>,
    pub birth_date: Date,
    pub sex: Option<String>,
    pub id_document: Option<String>,
    pub address_street: String,
    pub address_postal_code: String,
    pub address_city: String,
    pub responsible_ops: String,
    pub phone: Option<String>,
    pub categories: Vec<Category>,
    pub category_other: Option<String>,
    pub no_exclusion_declared_on: Date,
    pub applicant: Applicant,
    pub applicant_institution: Option<String>,
    pub referrer: Referrer,
    pub referrer_institution: String,
    pub referral_date: Date,
    pub consent_date: Date,
    pub consent_scope: String,
    pub social_worker_id: Option<Uuid>,
    pub social_worker_name: Option<String>,
    pub workshop_name: Option<String>,
    pub status: Status,
    pub admitted_on: Option<Date>,
    pub ops_agreement_name: Option<String>,
    pub ops_agreement_date: Option<Date>,
    pub trial_ends_on: Option<Date>,
    pub planned_end_on: Option<Date>,
    pub cap_end_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub graduation_outcome: Option<GraduationOutcome>,
    pub employment_contract: Option<ContractType>,
    pub termination_reason: Option<TerminationReason>,
    pub version: i32,
    pub created_at: OffsetDateTime,
}

impl Record {
    /// The editable part, as the form validates it.
    pub fn data(&self) -> ParticipantData {
        ParticipantData {
            surname: self.surname.clone(),
            first_names: self.first_names.clone(),
            pesel: self.pesel.clone(),
            birth_date: self.birth_date,
            sex: self.sex.as_deref().and_then(Sex::from_code),
            id_document: self.id_document.clone(),
            address_street: self.address_street.clone(),
            address_postal_code: self.address_postal_code.clone(),
            address_city: self.address_city.clone(),
            responsible_ops: self.responsible_ops.clone(),
            phone: self.phone.clone(),
            categories: self.categories.clone(),
            category_other: self.category_other.clone(),
            no_exclusion_declared_on: self.no_exclusion_declared_on,
            applicant: self.applicant,
            applicant_institution: self.applicant_institution.clone(),
            referrer: self.referrer,
            referrer_institution: self.referrer_institution.clone(),
            referral_date: self.referral_date,
            consent_date: self.consent_date,
            consent_scope: self.consent_scope.clone(),
        }
    }
}

/// Loads the whole record.
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Record>> {
    sqlx::query_as!(
        Record,
        r#"
        select p.participant_id, p.surname, p.first_names, p.pesel, p.birth_date, p.sex, p.id_document,
               p.address_street, p.address_postal_code, p.address_city, p.responsible_ops, p.phone,
               p.categories as "categories: Vec<Category>", p.category_other, p.no_exclusion_declared_on,
               p.applicant as "applicant: Applicant", p.applicant_institution,
               p.referrer as "referrer: Referrer", p.referrer_institution, p.referral_date,
               p.consent_date, p.consent_scope, p.social_worker_id,
               sw.full_name as "social_worker_name?", w.name as "workshop_name?",
               p.status as "status: Status", p.admitted_on, p.ops_agreement_name, p.ops_agreement_date,
               p.trial_ends_on, p.planned_end_on, p.cap_end_on, p.ended_on,
               p.graduation_outcome as "graduation_outcome: GraduationOutcome",
               p.employment_contract as "employment_contract: ContractType",
               p.termination_reason as "termination_reason: TerminationReason",
               p.version, p.created_at
        from participant p
        left join staff_user sw on sw.staff_user_id = p.social_worker_id
        left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null
        left join workshop w on w.workshop_id = m.workshop_id
        where p.centre_id = $1 and p.participant_id = $2
        "#,
        centre_id,
        id
    )
    .fetch_optional(db)
    .await
}

/// Inserts a candidate and the first status-history row (dated `registered_on`, the referral
/// date: the person is a candidate from then on); returns the id, or the id of the participant
/// already registered in the centre with the same PESEL.
pub async fn insert(
    conn: &mut PgConnection,
    centre_id: Uuid,
    d: &ParticipantData,
    social_worker_id: Option<Uuid>,
    created_by: Uuid,
    registered_on: Date,
) -> sqlx::Result<Result<Uuid, Uuid>> {
    if let Some(pesel) = &d.pesel
        && let Some(existing) = sqlx::query_scalar!(
            "select participant_id from participant where centre_id = $1 and pesel = $2",
            centre_id,
            pesel
        )
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(Err(existing));
    }
    let id = sqlx::query_scalar!(
        r#"
        insert into participant (
            centre_id, surname, first_names, pesel, birth_date, sex, id_document,
            address_street, address_postal_code, address_city, responsible_ops, phone,
            categories, category_other, no_exclusion_declared_on,
            applicant, applicant_institution, referrer, referrer_institution, referral_date,
            consent_date, consent_scope, social_worker_id, created_by)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
        returning participant_id
        "#,
        centre_id,
        d.surname,
        d.first_names,
        d.pesel,
        d.birth_date,
        d.sex.map(|s| s.code()),
        d.id_document,
        d.address_street,
        d.address_postal_code,
        d.address_city,
        d.responsible_ops,
        d.phone,
        &d.categories as &[Category],
        d.category_other,
        d.no_exclusion_declared_on,
        d.applicant as Applicant,
        d.applicant_institution,
        d.referrer as Referrer,
        d.referrer_institution,
        d.referral_date,
        d.consent_date,
        d.consent_scope,
        social_worker_id,
        created_by,
    )
    .fetch_one(&mut *conn)
    .await?;
    record_status(
        &mut *conn,
        centre_id,
        id,
        None,
        Status::Candidate,
        registered_on,
        Some("Rejestracja kandydata"),
        created_by,
    )
    .await?;
    Ok(Ok(id))
}

/// Saves an edit if the row is still at `version`; returns false when it is not (stale form).
pub async fn update(
    conn: &mut PgConnection,
    centre_id: Uuid,
    id: Uuid,
    version: i32,
    d: &ParticipantData,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"
        update participant set
            surname = $4, first_names = $5, pesel = $6, birth_date = $7, sex = $8, id_document = $9,
            address_street = $10, address_postal_code = $11, address_city = $12, responsible_ops = $13, phone = $14,
            categories = $15, category_other = $16, no_exclusion_declared_on = $17,
            applicant = $18, applicant_institution = $19, referrer = $20, referrer_institution = $21,
            referral_date = $22, consent_date = $23, consent_scope = $24, version = version + 1
        where centre_id = $1 and participant_id = $2 and version = $3
        "#,
        centre_id,
        id,
        version,
        d.surname,
        d.first_names,
        d.pesel,
        d.birth_date,
        d.sex.map(|s| s.code()),
        d.id_document,
        d.address_street,
        d.address_postal_code,
        d.address_city,
        d.responsible_ops,
        d.phone,
        &d.categories as &[Category],
        d.category_other,
        d.no_exclusion_declared_on,
        d.applicant as Applicant,
        d.applicant_institution,
        d.referrer as Referrer,
        d.referrer_institution,
        d.referral_date,
        d.consent_date,
        d.consent_scope,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Appends a row to the status history.
#[expect(
    clippy::too_many_arguments,
    reason = "one column per argument reads clearer than a struct used once"
)]
pub async fn record_status(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
    from: Option<Status>,
    to: Status,
    on: Date,
    reason: Option<&str>,
    decided_by: Uuid,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"insert into participant_status_change (participant_id, centre_id, from_status, to_status, changed_on, reason, decided_by)
           values ($1, $2, $3, $4, $5, $6, $7)"#,
        id,
        centre_id,
        from as Option<Status>,
        to as Status,
        on,
        reason,
        decided_by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One row of the status history.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub changed_on: Date,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub recorded_at: OffsetDateTime,
}

/// The status history, oldest first.
pub async fn history(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<StatusChange>> {
    sqlx::query_as!(
        StatusChange,
        r#"
        select c.from_status as "from_status: Status", c.to_status as "to_status: Status", c.changed_on, c.reason,
               u.full_name as "decided_by?", c.recorded_at
        from participant_status_change c left join staff_user u on u.staff_user_id = c.decided_by
        where c.participant_id = $1
        order by c.recorded_at, c.participant_status_change_id
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One extension decision.
#[derive(Debug, Clone)]
pub struct Extension {
    pub decided_on: Date,
    pub decided_by: String,
    pub reason: String,
    pub previous_end_on: Date,
    pub new_end_on: Date,
}

/// Extension decisions, oldest first.
pub async fn extensions(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Extension>> {
    sqlx::query_as!(
        Extension,
        r#"
        select e.decided_on, u.full_name as decided_by, e.reason, e.previous_end_on, e.new_end_on
        from participation_extension e join staff_user u on u.staff_user_id = e.decided_by
        where e.participant_id = $1
        order by e.recorded_at
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One recruitment document.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub document_date: Date,
    pub content: String,
    pub author: String,
}

/// The recruitment documents, by kind and date.
pub async fn documents(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Vec<Document>> {
    sqlx::query_as!(
        Document,
        r#"
        select d.kind as "kind: DocumentKind", d.document_date, d.content, u.full_name as author
        from recruitment_document d join staff_user u on u.staff_user_id = d.author_id
        where d.participant_id = $1
        order by d.kind, d.document_date, d.created_at
        "#,
        id
    )
    .fetch_all(db)
    .await
}

/// One line of "who viewed this file".
#[derive(Debug, Clone)]
pub struct View {
    pub occurred_at: OffsetDateTime,
    pub viewer: Option<String>,
    pub role: Option<Role>,
    pub detail: Option<String>,
}

/// The latest views of the file, through `participant_file_views` (the app role cannot read
/// the audit log directly).
pub async fn views(db: impl PgExecutor<'_>, centre_id: Uuid, id: Uuid) -> sqlx::Result<Vec<View>> {
    sqlx::query_as!(
        View,
        r#"select occurred_at as "occurred_at!", viewer, actor_role as "role: Role", detail
           from participant_file_views($1, $2)"#,
        id,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// A staff member to choose from (social workers, for assignment).
#[derive(Debug, Clone)]
pub struct StaffOption {
    pub staff_user_id: Uuid,
    pub full_name: String,
}

/// Active social workers of the centre.
pub async fn social_workers(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Vec<StaffOption>> {
    sqlx::query_as!(
        StaffOption,
        r#"select staff_user_id, full_name from staff_user
           where centre_id = $1 and role = 'social_worker' and active
           order by full_name collate "pl-PL-x-icu""#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// A workshop to choose from.
#[derive(Debug, Clone)]
pub struct WorkshopOption {
    pub workshop_id: Uuid,
    pub name: String,
}

/// The centre's workshops.
pub async fn workshops(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
) -> sqlx::Result<Vec<WorkshopOption>> {
    sqlx::query_as!(
        WorkshopOption,
        r#"select workshop_id, name from workshop where centre_id = $1 order by name collate "pl-PL-x-icu""#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Surname, first names (Polish alphabet).
    Name,
    /// Most recently registered first.
    Newest,
    /// Soonest planned end first (active participants).
    Ending,
}

/// What the list or search asks for; the scope comes from the actor.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub category: Option<Category>,
    /// `Some(None)`: only participants without a social worker.
    pub worker: Option<Option<Uuid>>,
    pub workshop: Option<Uuid>,
    pub after: Option<Uuid>,
}

/// A name or PESEL search.
#[derive(Clone, Debug)]
pub enum Search {
    /// No search: the plain list.
    None,
    /// PESEL prefix (digits).
    Pesel(String),
    /// One word: a prefix of the surname or of the first names.
    OneWord(String),
    /// Two words: surname and first name prefixes, in either order.
    TwoWords(String, String),
}

/// A row of the list. Names of social workers and workshops come from `Names`, loaded once
/// per page, which keeps the list query to one join.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub status: Status,
    pub social_worker_id: Option<Uuid>,
    pub workshop_id: Option<Uuid>,
    pub planned_end_on: Option<Date>,
}

/// The centre's social workers (active or not) and workshops, for names and filter options.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// (id, name, active)
    pub social_workers: Vec<(Uuid, String, bool)>,
    /// (id, name)
    pub workshops: Vec<(Uuid, String)>,
}

impl Names {
    /// Loads both lists in one query.
    pub async fn load(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Names> {
        let rows = sqlx::query!(
            r#"
            select 's' as "kind!", staff_user_id as "id!", full_name as "name!", active as "active!"
            from staff_user where centre_id = $1 and role = 'social_worker'
            union all
            select 'w', workshop_id, name, true from workshop where centre_id = $1
            order by 1, 3
            "#,
            centre_id
        )
        .fetch_all(db)
        .await?;
        let mut names = Names::default();
        for r in rows {
            if r.kind == "s" {
                names.social_workers.push((r.id, r.name, r.active));
            } else {
                names.workshops.push((r.id, r.name));
            }
        }
        Ok(names)
    }

    /// A social worker's name.
    pub fn social_worker(&self, id: Option<Uuid>) -> Option<&str> {
        let id = id?;
        self.social_workers
            .iter()
            .find(|w| w.0 == id)
            .map(|w| w.1.as_str())
    }

    /// A workshop's name.
    pub fn workshop(&self, id: Option<Uuid>) -> Option<&str> {
        let id = id?;
        self.workshops
            .iter()
            .find(|w| w.0 == id)
            .map(|w| w.1.as_str())
    }
}

/// Rows per page.
pub const PAGE: i64 = 50;

/// The `'kowal'` → `'kowam'` upper bound of a prefix range (byte order).
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    if let Some(last) = chars.pop() {
        let next = char::from_u32(u32::from(last) + 1).unwrap_or(char::MAX);
        chars.push(next);
    }
    chars.into_iter().collect()
}

fn push_prefix(q: &mut QueryBuilder<'_, Postgres>, column: &str, prefix: &str) {
    // `column` is one of two fixed expressions chosen below, never user input.
    q.push(format_args!(" ({column} >= "))
        .push_bind(prefix.to_owned());
    q.push(format_args!(" and {column} < "))
        .push_bind(prefix_end(prefix))
        .push(")");
}

const SURNAME_KEY: &str = "lower(p.surname) collate \"C\"";
const FIRST_KEY: &str = "lower(p.first_names) collate \"C\"";

/// The scope of the list for a role (the same rule as `policy::sees_participant`, except that
/// social workers see every participant of the centre by name and status).
fn push_scope(q: &mut QueryBuilder<'_, Postgres>, role: Role, actor_id: Uuid) {
    match role {
        Role::Manager | Role::SocialWorker => {}
        Role::Psychologist | Role::CareerAdvisor => {
            q.push(" and p.status in ('trial', 'participant')");
        }
        Role::Instructor => {
            q.push(
                " and m.workshop_id in (select workshop_id from workshop where instructor_id = ",
            )
            .push_bind(actor_id)
            .push(")");
        }
        Role::Admin => {
            q.push(" and false");
        }
    }
}

fn push_filters(q: &mut QueryBuilder<'_, Postgres>, filter: &ListFilter) {
    if let Some(status) = filter.status {
        q.push(" and p.status = ").push_bind(status);
    }
    if let Some(category) = filter.category {
        q.push(" and p.categories @> array[")
            .push_bind(category)
            .push("]::eligibility_category[]");
    }
    match filter.worker {
        Some(Some(worker)) => {
            q.push(" and p.social_worker_id = ").push_bind(worker);
        }
        Some(None) => {
            q.push(" and p.social_worker_id is null");
        }
        None => {}
    }
    if let Some(workshop) = filter.workshop {
        q.push(" and m.workshop_id = ").push_bind(workshop);
    }
}

/// The branches of a name search, each a conjunction of prefix ranges whose first part is the
/// surname or the first-names index. One word matches either; two words match surname and
/// first name in either order.
fn branches(search: &Search) -> Vec<Vec<(&'static str, String)>> {
    match search {
        Search::OneWord(w) => vec![vec![(SURNAME_KEY, w.clone())], vec![(FIRST_KEY, w.clone())]],
        Search::TwoWords(a, b) => vec![
            vec![(SURNAME_KEY, a.clone()), (FIRST_KEY, b.clone())],
            vec![(SURNAME_KEY, b.clone()), (FIRST_KEY, a.clone())],
        ],
        Search::None | Search::Pesel(_) => Vec::new(),
    }
}

fn push_pesel(q: &mut QueryBuilder<'_, Postgres>, search: &Search) {
    if let Search::Pesel(digits) = search {
        q.push(" and p.pesel >= ").push_bind(digits.clone());
        q.push(" and p.pesel < ").push_bind(prefix_end(digits));
    }
}

const COLUMNS: &str = "select p.participant_id, p.surname, p.first_names, p.status, p.social_worker_id, \
     m.workshop_id, p.planned_end_on from participant p ";
const JOINS: &str = "left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null ";
/// The "ending soonest" order lists active participants with a planned end only.
const ENDING: &str = " and p.planned_end_on is not null and p.status in ('trial', 'participant')";
const SEARCH_ORDER: &str = "lower(p.surname) collate \"C\", p.participant_id";

/// Everything after `where` that every variant shares: centre, role scope, filters.
fn push_common(
    q: &mut QueryBuilder<'_, Postgres>,
    centre_id: Uuid,
    role: Role,
    actor_id: Uuid,
    filter: &ListFilter,
) {
    q.push("where p.centre_id = ").push_bind(centre_id);
    push_scope(q, role, actor_id);
    push_filters(q, filter);
}

/// `and (key) > (key of the cursor row)`: keyset pagination whose cursor is an id, so no
/// name ever travels in a URL.
fn push_cursor(
    q: &mut QueryBuilder<'_, Postgres>,
    centre_id: Uuid,
    after: Option<Uuid>,
    key: &str,
    cmp: &str,
) {
    if let Some(after) = after {
        let inner_key = key.replace("p.", "c.");
        q.push(format_args!(
            " and ({key}) {cmp} (select {inner_key} from participant c where c.participant_id = "
        ))
        .push_bind(after)
        .push(" and c.centre_id = ")
        .push_bind(centre_id)
        .push(")");
    }
}

/// One page of the list (at most `PAGE` rows, plus whether there is a next page).
pub async fn list(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    role: Role,
    actor_id: Uuid,
    filter: &ListFilter,
    search: &Search,
    sort: Sort,
) -> sqlx::Result<(Vec<Row>, bool)> {
    let mut q = QueryBuilder::<Postgres>::new("");
    let name_branches = branches(search);
    if !name_branches.is_empty() {
        // A name search: each branch walks its own prefix range in result order and stops
        // after one page, so the cost does not grow with the number of matches.
        q.push("select * from (");
        for (i, branch) in name_branches.iter().enumerate() {
            if i > 0 {
                q.push(" union ");
            }
            q.push("(").push(COLUMNS).push(JOINS);
            push_common(&mut q, centre_id, role, actor_id, filter);
            for (column, prefix) in branch {
                q.push(" and");
                push_prefix(&mut q, column, prefix);
            }
            push_cursor(&mut q, centre_id, filter.after, SEARCH_ORDER, ">");
            q.push(format_args!(" order by {SEARCH_ORDER} limit "))
                .push_bind(PAGE + 1)
                .push(")");
        }
        q.push(") p order by ")
            .push(SEARCH_ORDER)
            .push(" limit ")
            .push_bind(PAGE + 1);
    } else {
        q.push(COLUMNS).push(JOINS);
        push_common(&mut q, centre_id, role, actor_id, filter);
        push_pesel(&mut q, search);
        let (key, order, cmp) = match (search, sort) {
            (Search::Pesel(_), _) => (
                "p.pesel, p.participant_id",
                "p.pesel, p.participant_id",
                ">",
            ),
            (_, Sort::Name) => (
                "p.surname, p.first_names, p.participant_id",
                "p.surname, p.first_names, p.participant_id",
                ">",
            ),
            (_, Sort::Newest) => (
                "p.created_at, p.participant_id",
                "p.created_at desc, p.participant_id desc",
                "<",
            ),
            (_, Sort::Ending) => (
                "p.planned_end_on, p.participant_id",
                "p.planned_end_on, p.participant_id",
                ">",
            ),
        };
        if matches!(search, Search::None) && sort == Sort::Ending {
            q.push(ENDING);
        }
        push_cursor(&mut q, centre_id, filter.after, key, cmp);
        q.push(format_args!(" order by {order} limit "))
            .push_bind(PAGE + 1);
    }
    let mut rows: Vec<Row> = q.build_query_as().fetch_all(db).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    Ok((rows, more))
}

/// Whether the cursor row belongs to what the actor is listing (scope, filters, search). A
/// cursor outside it is refused: its position in the order would tell something about a
/// participant the actor may not see.
pub async fn cursor_visible(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    role: Role,
    actor_id: Uuid,
    filter: &ListFilter,
    search: &Search,
) -> sqlx::Result<bool> {
    let Some(after) = filter.after else {
        return Ok(true);
    };
    let mut q = QueryBuilder::<Postgres>::new("select exists (select 1 from participant p ");
    q.push(JOINS);
    push_common(
        &mut q,
        centre_id,
        role,
        actor_id,
        &ListFilter {
            after: None,
            ..filter.clone()
        },
    );
    push_pesel(&mut q, search);
    let name_branches = branches(search);
    if !name_branches.is_empty() {
        q.push(" and (");
        for (i, branch) in name_branches.iter().enumerate() {
            if i > 0 {
                q.push(" or ");
            }
            q.push("(true");
            for (column, prefix) in branch {
                q.push(" and");
                push_prefix(&mut q, column, prefix);
            }
            q.push(")");
        }
        q.push(")");
    }
    q.push(" and p.participant_id = ")
        .push_bind(after)
        .push(")");
    q.build_query_scalar().fetch_one(db).await
}

/// Counting stops here for the list; `count` answers at most this number.
pub const LIST_COUNT_CAP: i64 = 1000;
/// Counting stops here for a search, which should be narrowed rather than paged through.
pub const SEARCH_COUNT_CAP: i64 = 200;

/// How many rows the list or search has, counted up to one more than its cap (an exact count
/// costs more than the page itself at 100,000 rows).
pub async fn count(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    role: Role,
    actor_id: Uuid,
    filter: &ListFilter,
    search: &Search,
    sort: Sort,
) -> sqlx::Result<i64> {
    let cap = if matches!(search, Search::None) {
        LIST_COUNT_CAP
    } else {
        SEARCH_COUNT_CAP
    };
    let from = |q: &mut QueryBuilder<'_, Postgres>| {
        q.push("select p.participant_id from participant p ");
        if filter.workshop.is_some() || role == Role::Instructor {
            q.push(JOINS);
        }
        let without_cursor = ListFilter {
            after: None,
            ..filter.clone()
        };
        push_common(q, centre_id, role, actor_id, &without_cursor);
    };
    let mut q = QueryBuilder::<Postgres>::new("select count(*) from (");
    let name_branches = branches(search);
    if name_branches.is_empty() {
        from(&mut q);
        push_pesel(&mut q, search);
        if matches!(search, Search::None) && sort == Sort::Ending {
            q.push(ENDING);
        }
        q.push(" limit ").push_bind(cap + 1);
    } else {
        for (i, branch) in name_branches.iter().enumerate() {
            if i > 0 {
                q.push(" union ");
            }
            q.push("(");
            from(&mut q);
            for (column, prefix) in branch {
                q.push(" and");
                push_prefix(&mut q, column, prefix);
            }
            q.push(" limit ").push_bind(cap + 1).push(")");
        }
    }
    q.push(") counted");
    q.build_query_scalar::<i64>()
        .fetch_one(db)
        .await
        .map(|n| n.min(cap + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges_end_just_after_the_prefix() {
        assert_eq!(prefix_end("kowal"), "kowam");
        assert_eq!(prefix_end("żó"), "żô");
        assert_eq!(prefix_end("8501"), "8502");
        assert_eq!(prefix_end("8509"), "850:");
    }
}
