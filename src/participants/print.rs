//! The print view of a participant's file: A4, our own print stylesheet (no navigation, page
//! numbers, the centre's name and address in the header, when and by whom it was printed),
//! showing exactly what the printing role sees on screen and the whole timeline. A print is a
//! read of the file: audited in the same statement as the read, its parts beginning with
//! `print` (the access log names it "wydruk").

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::file::{Reading, ShowPage, read_page};
use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::validate::dates;
use crate::web::page::render;
use crate::web::path::IdPath;

#[derive(Template)]
#[template(path = "participants/print.html")]
struct PrintPage {
    file: ShowPage,
    centre_name: String,
    centre_address: String,
    printed_at: String,
    printed_by: String,
}

/// The sections' template reads the file's fields as its own.
impl std::ops::Deref for PrintPage {
    type Target = ShowPage;

    fn deref(&self) -> &ShowPage {
        &self.file
    }
}

/// `GET /participants/{id}/print`.
pub(super) async fn print_file(
    State(state): State<AppState>,
    user: CurrentUser,
    IdPath(id): IdPath,
) -> Result<Response> {
    let file = read_page(&state, &user, id, Reading::Print).await?;
    let (centre_name, centre_address) = centre_header(&state.db, user.centre_id).await?;
    render(&PrintPage {
        file,
        centre_name,
        centre_address,
        printed_at: dates::format_moment(state.clock.now()),
        printed_by: format!("{} ({})", user.full_name, user.role.label()),
    })
}

/// The centre's name and address (its town when no address is set) for a print's header.
pub async fn centre_header(
    db: impl sqlx::PgExecutor<'_>,
    centre_id: uuid::Uuid,
) -> sqlx::Result<(String, String)> {
    let (name, city, address): (String, String, String) =
        sqlx::query_as("select name, city, address from centre where centre_id = $1")
            .bind(centre_id)
            .fetch_one(db)
            .await?;
    let address = match (address.is_empty(), city.is_empty()) {
        (false, _) => address,
        (true, false) => city,
        (true, true) => String::new(),
    };
    Ok((name, address))
}
