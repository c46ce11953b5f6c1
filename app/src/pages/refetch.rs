//! What an island shows of the server's state, fetched again after an
//! action changed it (islands have no router to reload the page's data).

use std::future::Future;

use leptos::prelude::*;

/// `initial` (what the server rendered with), replaced by `fetch`'s answer
/// each time `bump` goes up.
pub fn refetched<T, Fut>(initial: T, bump: RwSignal<u32>, fetch: impl Fn() -> Fut + Send + Sync + 'static) -> RwSignal<T>
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let current = RwSignal::new(initial);
    let reload = Action::new(move |_: &()| fetch());
    Effect::new(move |_| {
        if bump.get() > 0 {
            reload.dispatch(());
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = reload.value().get() {
            current.set(answer);
        }
    });
    current
}
