//! The staff console's routes, loaded on demand: with `cargo leptos build
//! --split` their code is a wasm chunk of its own that only staff download,
//! so patients on slow phones don't carry the console in their bundle. The
//! server renders them like any other page.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::{chart::StaffChartPage, list::StaffPatientsPage, StaffLoginPage};

/// `/staff/login`
pub struct StaffLoginRoute;

#[lazy_route]
impl LazyRoute for StaffLoginRoute {
    fn data() -> Self {
        StaffLoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <StaffLoginPage/> }.into_any()
    }
}

/// `/staff`
pub struct StaffPatientsRoute;

#[lazy_route]
impl LazyRoute for StaffPatientsRoute {
    fn data() -> Self {
        StaffPatientsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <StaffPatientsPage/> }.into_any()
    }
}

/// `/staff/patients/:id`
pub struct StaffChartRoute;

#[lazy_route]
impl LazyRoute for StaffChartRoute {
    fn data() -> Self {
        StaffChartRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <StaffChartPage/> }.into_any()
    }
}
