//! The policy's [`ListScope`] as SQL, beside the policy that decides it, for every query that
//! reads participants on an actor's behalf (the list, the file, the work lists of the
//! participants and follow-up areas): the policy decides who is in scope, the queries only
//! spell it out.

use sqlx::{Postgres, QueryBuilder};

use crate::auth::policy::ListScope;

/// `and …`: the scope over `p`, the participant, and `m`, its current workshop placement
/// (joined by the query whenever the scope may read it).
pub fn push_scope(q: &mut QueryBuilder<'_, Postgres>, scope: ListScope) {
    match scope {
        ListScope::Centre => {}
        ListScope::Caseload(worker) => {
            q.push(" and p.social_worker_id = ").push_bind(worker);
        }
        ListScope::Active => {
            q.push(" and p.status in ('trial', 'participant')");
        }
        ListScope::WorkshopsOf(instructor) => {
            q.push(
                " and m.workshop_id in (select workshop_id from workshop_instructor where staff_user_id = ",
            )
            .push_bind(instructor)
            .push(")");
        }
        ListScope::Nobody => {
            q.push(" and false");
        }
    }
}
