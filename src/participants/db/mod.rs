//! Queries on participants. Every query takes the actor's centre: a participant of another
//! centre is never loaded, so it answers 404 like a missing one.

pub mod access_log;
pub mod file;
pub mod inbox;
mod lifecycle;
mod list;
pub mod notes;
pub mod reassign;

pub use file::{Document, Extension, File, FileRead, FollowUpContact, Parts, read_file};
pub use lifecycle::{
    Membership, StatusRecord, add_document, apply_transition, assign_social_worker,
    current_membership, document_kinds, documents_required, extend, forget_work_counts,
    move_to_workshop, open_contract, programme_to_close, record_status,
};
pub use list::{ListFilter, Listing, Names, Page, Row, Search, Sort, StatusFilter, Town};

use sqlx::query_builder::Separated;
use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use super::pesel::{Pesel, Sex};
use super::record::{ParticipantData, Record};
use crate::domain::{Role, Status};

pub use crate::auth::participant::{facts, lock};

/// The columns of a `Record` (after `select`), for [`find`] and the file page's read.
macro_rules! record_columns {
    () => {
        "p.participant_id, p.surname, p.first_names, p.pesel, p.birth_date, p.sex, \
         p.id_document, p.address_street, p.address_postal_code, p.address_city, \
         p.responsible_ops, p.phone, p.categories, p.category_other, \
         p.no_exclusion_declared_on, p.applicant, p.applicant_institution, p.referrer, \
         p.referrer_institution, p.referral_date, p.consent_date, p.consent_scope, \
         p.social_worker_id, sw.full_name as social_worker_name, w.name as workshop_name, \
         p.status, p.admitted_on, p.ops_agreement_name, p.ops_agreement_date, \
         p.trial_ends_on, p.planned_end_on, p.cap_end_on, p.ended_on, \
         p.graduation_outcome, p.employment_contract, p.termination_reason, \
         p.version, p.created_at"
    };
}
pub(super) use record_columns;

/// The tables a `Record` comes from (` from participant p …`).
macro_rules! record_from {
    () => {
        " from participant p \
          left join staff_user sw on sw.staff_user_id = p.social_worker_id \
          left join workshop_membership m \
                 on m.participant_id = p.participant_id and m.member_until is null \
          left join workshop w on w.workshop_id = m.workshop_id "
    };
}
pub(super) use record_from;

/// Loads the whole record.
pub async fn find(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Record>> {
    sqlx::query_as(concat!(
        "select ",
        record_columns!(),
        record_from!(),
        "where p.centre_id = $1 and p.participant_id = $2"
    ))
    .bind(centre_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The columns `ParticipantData` fills, in the order [`push_data`] binds them; insert and update
/// share both, so the field list is written once.
pub const DATA_COLUMNS: &str = "surname, first_names, pesel, birth_date, sex, id_document, \
     address_street, address_postal_code, address_city, responsible_ops, phone, categories, \
     category_other, no_exclusion_declared_on, applicant, applicant_institution, referrer, \
     referrer_institution, referral_date, consent_date, consent_scope";

fn push_data(values: &mut Separated<'_, '_, Postgres, &'static str>, d: &ParticipantData) {
    values
        .push_bind(d.surname.clone())
        .push_bind(d.first_names.clone())
        .push_bind(d.pesel.clone())
        .push_bind(d.birth_date)
        .push_bind(d.sex.map(Sex::code))
        .push_bind(d.id_document.clone())
        .push_bind(d.address_street.clone())
        .push_bind(d.address_postal_code.clone())
        .push_bind(d.address_city.clone())
        .push_bind(d.responsible_ops.clone())
        .push_bind(d.phone.clone())
        .push_bind(d.categories.clone())
        .push_bind(d.category_other.clone())
        .push_bind(d.no_exclusion_declared_on)
        .push_bind(d.applicant)
        .push_bind(d.applicant_institution.clone())
        .push_bind(d.referrer)
        .push_bind(d.referrer_institution.clone())
        .push_bind(d.referral_date)
        .push_bind(d.consent_date)
        .push_bind(d.consent_scope.clone());
}

/// The same values as text in COPY's format (`None` is null), in the order of [`DATA_COLUMNS`]:
/// the bulk generator of demo data loads records this way.
pub fn copy_values(d: &ParticipantData) -> [Option<String>; 21] {
    let text = |v: &dyn ToString| Some(v.to_string());
    let date = |d: Date| Some(crate::validate::dates::iso(d));
    let categories = d.categories.iter().map(|c| c.code()).collect::<Vec<_>>();
    [
        text(&d.surname),
        text(&d.first_names),
        d.pesel.as_ref().map(ToString::to_string),
        date(d.birth_date),
        d.sex.map(|s| s.code().to_owned()),
        d.id_document.clone(),
        Some(d.address_street.clone()),
        text(&d.address_postal_code),
        Some(d.address_city.clone()),
        Some(d.responsible_ops.clone()),
        d.phone.as_ref().map(ToString::to_string),
        Some(format!("{{{}}}", categories.join(","))),
        d.category_other.clone(),
        date(d.no_exclusion_declared_on),
        Some(d.applicant.code().to_owned()),
        d.applicant_institution.clone(),
        Some(d.referrer.code().to_owned()),
        Some(d.referrer_institution.clone()),
        date(d.referral_date),
        date(d.consent_date),
        Some(d.consent_scope.clone()),
    ]
}

/// The participant of the centre registered with `pesel`, if any.
pub async fn with_pesel(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    pesel: &Pesel,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select participant_id from participant where centre_id = $1 and pesel = $2",
        centre_id,
        pesel.as_str()
    )
    .fetch_optional(db)
    .await
}

/// Inserts a candidate and the first status-history row (dated the referral date: the person is
/// a candidate from then on); returns the id, or the id of the participant already registered
/// in the centre with the same PESEL.
pub async fn insert(
    conn: &mut PgConnection,
    centre_id: Uuid,
    d: &ParticipantData,
    social_worker_id: Option<Uuid>,
    created_by: Uuid,
) -> sqlx::Result<Result<Uuid, Uuid>> {
    if let Some(pesel) = &d.pesel
        && let Some(existing) = with_pesel(&mut *conn, centre_id, pesel).await?
    {
        return Ok(Err(existing));
    }
    let mut q = QueryBuilder::<Postgres>::new(
        "insert into participant (centre_id, social_worker_id, created_by, ",
    );
    q.push(DATA_COLUMNS).push(") values (");
    let mut values = q.separated(", ");
    values
        .push_bind(centre_id)
        .push_bind(social_worker_id)
        .push_bind(created_by);
    push_data(&mut values, d);
    q.push(") returning participant_id");
    let id: Uuid = q.build_query_scalar().fetch_one(&mut *conn).await?;
    let registered = StatusRecord {
        centre_id,
        participant_id: id,
        from: None,
        to: Status::Candidate,
        on: d.referral_date,
        reason: Some("Rejestracja kandydata".to_owned()),
        decided_by: created_by,
    };
    record_status(&mut *conn, &registered).await?;
    if let Some(worker) = social_worker_id {
        // The first assignment is history too.
        sqlx::query(
            "insert into social_worker_change (participant_id, centre_id, from_worker, to_worker, changed_by)
             values ($1, $2, null, $3, $4)",
        )
        .bind(id)
        .bind(centre_id)
        .bind(worker)
        .bind(created_by)
        .execute(&mut *conn)
        .await?;
        forget_work_counts(&mut *conn, &[worker]).await?;
    }
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
    let mut q = QueryBuilder::<Postgres>::new("update participant set (");
    q.push(DATA_COLUMNS).push(") = (");
    push_data(&mut q.separated(", "), d);
    q.push("), version = version + 1 where centre_id = ")
        .push_bind(centre_id)
        .push(" and participant_id = ")
        .push_bind(id)
        .push(" and version = ")
        .push_bind(version);
    let done = q.build().execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// A staff member or workshop to choose from.
#[derive(Debug, Clone)]
pub struct Named {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// The centre's active social workers, by name.
pub async fn social_workers(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<Named>> {
    staff_in_role(db, centre_id, Role::SocialWorker).await
}

/// The centre's active staff of one role, by name (the choices of a form).
pub async fn staff_in_role(
    db: impl PgExecutor<'_>,
    centre_id: Uuid,
    role: Role,
) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        r#"select staff_user_id as id, full_name as name from staff_user
           where centre_id = $1 and role = $2 and active
           order by full_name collate "pl-PL-x-icu""#,
        centre_id,
        role as Role
    )
    .fetch_all(db)
    .await
}

/// The centre's active workshops (an archived one takes no one new).
pub async fn workshops(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Vec<Named>> {
    sqlx::query_as!(
        Named,
        r#"select workshop_id as id, name from workshop where centre_id = $1 and active order by name collate "pl-PL-x-icu""#,
        centre_id
    )
    .fetch_all(db)
    .await
}

/// The date of the latest status change (a new one may not be dated before it).
pub async fn latest_change(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Date>> {
    sqlx::query_scalar!(
        "select max(changed_on) from participant_status_change where participant_id = $1",
        id
    )
    .fetch_one(db)
    .await
}
