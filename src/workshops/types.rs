//! Activity types (art. 14: the kinds of activities a programme plans): the installation's
//! five and the centre's own, which the manager adds (a name, group or individual; the code is
//! the name folded to ASCII, unique among the installation's and the centre's).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::db;
use crate::audit::{AuditEvent, Outcome};
use crate::auth::policy::{Action, Target};
use crate::auth::session::CurrentUser;
use crate::domain::fold::fold;
use crate::error::Result;
use crate::state::AppState;
use crate::validate;
use crate::web::extract::SecureForm;
use crate::web::finish::finish;
use crate::web::forms::FieldErrors;
use crate::web::page::{Layout, render, render_with_status};

/// The new activity type as posted (`group` is a ticked checkbox).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TypeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: String,
}

#[derive(Template)]
#[template(path = "workshops/activity_types.html")]
struct TypesPage {
    layout: Layout,
    types: Vec<db::ActivityType>,
    form: TypeForm,
    errors: FieldErrors,
}

async fn types_page(
    state: &AppState,
    user: &CurrentUser,
    form: TypeForm,
    errors: FieldErrors,
) -> Result<TypesPage> {
    Ok(TypesPage {
        layout: Layout::for_user(state, user, "Rodzaje zajęć", "/workshops"),
        types: db::activity_types(&state.db, user.centre_id).await?,
        form,
        errors,
    })
}

/// The code of a type named `name`: folded to ASCII, other characters as `_`, at most 40.
fn code_of(name: &str) -> String {
    let folded: String = fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut code = String::new();
    for part in folded.split('_').filter(|p| !p.is_empty()) {
        if !code.is_empty() {
            code.push('_');
        }
        code.push_str(part);
    }
    code.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_owned()
}

/// `GET /activity-types`.
pub(super) async fn list_types(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    render(&types_page(&state, &user, TypeForm::default(), FieldErrors::new()).await?)
}

/// `POST /activity-types`.
pub(super) async fn add_type(
    State(state): State<AppState>,
    user: CurrentUser,
    SecureForm(form): SecureForm<TypeForm>,
) -> Result<Response> {
    user.authorize(&state, Action::ManageWorkshops, Target::Centre)
        .await?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", validate::required_line(&form.name, 100));
    let code = name.as_deref().map(code_of).unwrap_or_default();
    let mut tx = state.db.begin().await?;
    if name.is_some() {
        let existing = db::activity_types(&mut *tx, user.centre_id).await?;
        if code.is_empty() {
            errors.add("name", "Nazwa musi zawierać litery lub cyfry.");
        } else if existing
            .iter()
            .any(|t| t.code == code || fold(&t.name) == fold(form.name.trim()))
        {
            errors.add(
                "name",
                "Jest już rodzaj zajęć o tej lub bardzo podobnej nazwie.",
            );
        }
    }
    let (Some(name), true) = (name, errors.is_empty()) else {
        drop(tx);
        let page = types_page(&state, &user, form, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let group = form.group == "on";
    let id = sqlx::query_scalar!(
        "insert into activity_type (centre_id, code, name, group_activity) values ($1, $2, $3, $4)
         returning activity_type_id",
        user.centre_id,
        code,
        name,
        group
    )
    .fetch_one(&mut *tx)
    .await?;
    let event = AuditEvent::new("activity_type.add", Outcome::Success)
        .on("activity_type", id)
        .detail(format!("code:{code},group:{group}"));
    finish(
        tx,
        &user,
        event,
        &format!("Dodano rodzaj zajęć: {name}."),
        "/activity-types",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_fold_the_name_to_ascii() {
        assert_eq!(
            code_of("Trening umiejętności społecznych"),
            "trening_umiejetnosci_spolecznych"
        );
        assert_eq!(code_of("  Zajęcia – sport! "), "zajecia_sport");
        assert_eq!(code_of("–"), "");
    }
}
