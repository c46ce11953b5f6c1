//! Routes loaded on demand. With `cargo leptos build --split` each one's
//! code is a wasm chunk of its own, fetched when its page is first shown, so
//! the bundle every patient downloads holds the sign-in page and the
//! framework, not the welcome page, the wizards, the settings or the staff
//! console. The server renders them like any other page.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::staff::{chart::StaffChartPage, list::StaffPatientsPage, StaffLoginPage};
use super::{
    forgot_password::ForgotPasswordPage, forgot_username::ForgotUsernamePage, home::HomePage, register::RegisterPage,
    reset::ResetPasswordPage, settings::SettingsPage,
};

/// A lazy route per page: `Route => Page` (a component without props).
macro_rules! lazy_pages {
    ($($route:ident => $page:ident,)*) => {$(
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    HomeRoute => HomePage,
    ForgotPasswordRoute => ForgotPasswordPage,
    ForgotUsernameRoute => ForgotUsernamePage,
    ResetPasswordRoute => ResetPasswordPage,
    RegisterRoute => RegisterPage,
    SettingsRoute => SettingsPage,
    StaffLoginRoute => StaffLoginPage,
    StaffPatientsRoute => StaffPatientsPage,
    StaffChartRoute => StaffChartPage,
}
