//! What staff administration puts on the administrator's home page: the centre's accounts, as a
//! reference list (the administrator has no work due on participants).

use time::Date;

use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::state::AppState;
use crate::web::inbox::{InboxFuture, InboxGroup, InboxItem, InboxLink, InboxRead};

/// The administrator's group: active and locked accounts.
pub fn inbox_items<'a>(
    state: &'a AppState,
    read: &'a mut InboxRead,
    user: &'a CurrentUser,
    _today: Date,
) -> InboxFuture<'a> {
    Box::pin(async move {
        let conn = read.conn();
        if user.role != Role::Admin {
            return Ok(Vec::new());
        }
        let counts = sqlx::query!(
            r#"
            select count(*) filter (where u.active) as "active!",
                   count(*) filter (where t.locked_until > $2) as "locked!",
                   min(t.locked_until) filter (where t.locked_until > $2) as lapses
            from staff_user u left join login_throttle t on t.login_key = u.login
            where u.centre_id = $1
            "#,
            user.centre_id,
            state.clock.now(),
        )
        .fetch_one(&mut *conn)
        .await?;
        // The count of locked accounts changes when a lock lapses, with no write.
        if let Some(at) = counts.lapses {
            read.lasts_until(at);
        }
        let count = |title: &str, n: i64| InboxItem {
            title: title.to_owned(),
            detail: Some(n.to_string()),
            ..InboxItem::default()
        };
        // Facts to look at, not work due: no count beside "Start".
        let mut group = InboxGroup::reference(
            "Konta pracowników",
            vec![
                count("Aktywne konta", counts.active),
                count("Zablokowane po nieudanych logowaniach", counts.locked),
            ],
            "",
        );
        group.note = Some("Konto administratora nie daje dostępu do danych uczestników.");
        group.links = vec![InboxLink {
            href: "/admin/users",
            label: "Zarządzaj kontami pracowników",
        }];
        Ok(vec![group])
    })
}
