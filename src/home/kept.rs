//! Work lists kept between requests. Start is looked at far more often than the centre writes,
//! and a work list depends only on the centre's data, the user and the day (an area whose list
//! also changes with the clock says until when it holds, [`InboxRead::lasts_until`]). So the
//! server keeps each user's list with the centre's work generation it was computed at (read
//! with the session, migration 0041) and serves it again while a request reads the same
//! generation on the same day: then no write has committed in the centre since, and the list
//! is what the areas would read again.
//!
//! The list is computed after its generation is read, so it holds that generation's data or
//! newer; a newer list kept under an older number is only recomputed once more. The kept lists
//! are the server's own (several servers over one database each keep theirs and each checks
//! the number), one per user, and live as long as the process.
//!
//! [`InboxRead::lasts_until`]: crate::web::inbox::InboxRead::lasts_until

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::auth::session::CurrentUser;
use crate::domain::Role;
use crate::web::inbox::InboxGroup;

/// Beyond this many users' lists the server forgets those of other days, and if that is not
/// enough, all (a centre has tens of staff; this bounds the memory of a server of many).
const KEPT_USERS: usize = 10_000;

/// One user's list and what it was computed at.
struct Entry {
    centre: Uuid,
    generation: i64,
    day: Date,
    role: Role,
    until: Option<OffsetDateTime>,
    groups: Arc<Vec<InboxGroup>>,
}

/// The work lists the server keeps, by user.
#[derive(Default)]
pub struct Kept {
    lists: Mutex<HashMap<Uuid, Entry>>,
}

impl Kept {
    /// `user`'s list, if one was computed at the generation and on the day of this request and
    /// has not lapsed by `now`.
    pub fn get(
        &self,
        user: &CurrentUser,
        day: Date,
        now: OffsetDateTime,
    ) -> Option<Arc<Vec<InboxGroup>>> {
        let lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = lists.get(&user.user_id)?;
        (entry.generation == user.work_generation
            && entry.centre == user.centre_id
            && entry.day == day
            && entry.role == user.role
            && entry.until.is_none_or(|until| now < until))
        .then(|| Arc::clone(&entry.groups))
    }

    /// Keeps `groups`, computed for `user` on `day` after the request read its generation,
    /// unless a list of a later generation is kept already.
    pub fn put(
        &self,
        user: &CurrentUser,
        day: Date,
        until: Option<OffsetDateTime>,
        groups: Arc<Vec<InboxGroup>>,
    ) {
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = lists.get(&user.user_id)
            && kept.day == day
            && kept.centre == user.centre_id
            && kept.generation > user.work_generation
        {
            return;
        }
        if lists.len() >= KEPT_USERS && !lists.contains_key(&user.user_id) {
            lists.retain(|_, entry| entry.day == day);
            if lists.len() >= KEPT_USERS {
                lists.clear();
            }
        }
        lists.insert(
            user.user_id,
            Entry {
                centre: user.centre_id,
                generation: user.work_generation,
                day,
                role: user.role,
                until,
                groups,
            },
        );
    }
}
