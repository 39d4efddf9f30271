//! "Historia zmian danych" (issue 13, data protection item 4; GDPR art. 16): every edit of a
//! participant's data keeps what it replaced. The edit writes one row per changed field (its
//! label, the previous and the new value as shown, who, when) in the transaction of the change;
//! rows are never changed by the app. Whoever reads who opened the file reads who changed its
//! data (the policy's `ViewRectifications`); reading it is audited. Anonymisation clears the
//! values and keeps who changed which field when.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sqlx::PgConnection;
use uuid::Uuid;

use super::record::ParticipantData;
use crate::audit;
use crate::auth::participant;
use crate::auth::policy::Action;
use crate::auth::session::CurrentUser;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::{Layout, render};
use crate::web::path::IdPath;

/// Records the fields `after` changes in `before`, in the edit's transaction; returns how many.
pub(super) async fn record(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    before: &ParticipantData,
    after: &ParticipantData,
) -> sqlx::Result<usize> {
    let (mut fields, mut old, mut new) = (Vec::new(), Vec::new(), Vec::new());
    for ((label, was), (_, is)) in before.describe().into_iter().zip(after.describe()) {
        if was != is {
            fields.push(label.to_owned());
            old.push(was);
            new.push(is);
        }
    }
    if fields.is_empty() {
        return Ok(0);
    }
    sqlx::query!(
        "insert into participant_rectification (participant_id, centre_id, field, old_value, new_value, changed_by)
         select $1, $2, f, o, n, $3 from unnest($4::text[], $5::text[], $6::text[]) with ordinality as t(f, o, n, i)
         order by i",
        id,
        user.centre_id,
        user.user_id,
        &fields,
        &old,
        &new
    )
    .execute(conn)
    .await?;
    Ok(fields.len())
}

/// One changed field.
struct ChangeView {
    when: String,
    who: String,
    field: String,
    old: String,
    new: String,
}

#[derive(Template)]
#[template(path = "participants/rectifications.html")]
struct HistoryPage {
    layout: Layout,
    id: Uuid,
    changes: Vec<ChangeView>,
}

/// `GET /participants/{id}/data-history`: the changes of the participant's data, newest first
/// (an audited read).
pub(super) async fn data_history(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    participant::authorized(&state, &user, id, Action::ViewRectifications).await?;
    let mut tx = state.db.begin().await?;
    let name = sqlx::query_scalar!(
        r#"select surname || ' ' || first_names as "name!" from participant
           where centre_id = $1 and participant_id = $2"#,
        user.centre_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let rows = sqlx::query!(
        r#"select r.changed_at, u.full_name, r.field, r.old_value, r.new_value
           from participant_rectification r join staff_user u on u.staff_user_id = r.changed_by
           where r.participant_id = $1 and r.centre_id = $2
           order by r.changed_at desc, r.participant_rectification_id"#,
        id,
        user.centre_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let event = participant::done(Action::ViewRectifications, id)
        .by(user.audit_actor())
        .participant(id)
        .detail(format!("changes={}", rows.len()));
    audit::record_read(&mut *tx, &user.meta, event).await?;
    tx.commit().await?;
    // An anonymised file keeps who changed which field when, not the values.
    let shown = |v: Option<String>| match v {
        None => "(usunięto przy anonimizacji)".to_owned(),
        Some(v) if v.is_empty() => "(puste)".to_owned(),
        Some(v) => v,
    };
    let page = HistoryPage {
        layout: Layout::for_user(
            &state,
            &user,
            format!("Historia zmian danych: {name}"),
            "/participants",
        ),
        id,
        changes: rows
            .into_iter()
            .map(|r| ChangeView {
                when: dates::format_moment(r.changed_at),
                who: r.full_name,
                field: r.field,
                old: shown(r.old_value),
                new: shown(r.new_value),
            })
            .collect(),
    };
    render(&page)
}
