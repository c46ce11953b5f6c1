//! `TestApp`: the real server on a random loopback port against a fresh
//! database (a temporary SQLite file, or a new PostgreSQL database).

#![allow(dead_code)]

use app::ids::{AccountId, PatientId};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

pub mod process;
pub mod provider;
pub mod smtp_sink;

use server::config::Config;
use server::Services;

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Where fresh PostgreSQL databases are made; CI runs PostgreSQL here.
fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestApp {
    pub base: String,
    pub services: Arc<Services>,
    /// Keeps cookies, follows no redirects: tests look at each response.
    pub browser: reqwest::Client,
    /// The site root (empty until a test puts files in its `pkg/`).
    pub site: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

pub const PASSWORD: &str = "Harbor-Lantern-73";

pub async fn fresh_database(db: Db, dir: &tempfile::TempDir) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}/portal.db", dir.path().display()),
        Db::Postgres => {
            static N: AtomicU32 = AtomicU32::new(0);
            let name = format!("portal_test_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
            let admin = postgres_admin_url();
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("PostgreSQL at TEST_POSTGRES_URL");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut conn).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
            let mut url = url::Url::parse(&admin).unwrap();
            url.set_path(&name);
            url.to_string()
        }
    }
}

/// A chart born 1980-01-01 with `email` on file, made through the domain code.
pub async fn add_chart(services: &Services, first: &str, last: &str, email: &str) -> PatientId {
    let p = server::patients::NewPatient {
        first_name: first.into(),
        last_name: last.into(),
        dob: app::dob::DateOfBirth::parse("19800101", services.clock.today()).unwrap(),
        email: Some(app::email::EmailAddress::parse(email).unwrap()),
        mobile: None,
        language: app::i18n::Lang::En,
    };
    server::patients::add_patient(services, p, &server::client::ClientMeta::cli()).await.unwrap()
}

/// The code `email`'s authenticator app shows now (its secret read as the
/// second-step page shows it while it is not set up).
pub async fn staff_code(svc: &Services, email: &str) -> String {
    let (id, sealed): (i64, String) = sqlx::query_as("SELECT id, totp_secret FROM staff_accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&svc.store)
        .await
        .expect("a staff member who passed the password step");
    let secret = svc.authenticators.open("totp", &id.to_string(), &sealed).unwrap();
    server::authenticator::Authenticator::new(&secret, email).unwrap().code_at(svc.clock.now())
}

/// Signs `b` in as staff, both steps, as the console's forms do (`accept`:
/// [`FORM`] or [`JS`]): the password, then the authenticator's current code.
/// The clock moves one step on first, so that no code is used twice.
pub async fn staff_sign_in(app: &TestApp, b: &reqwest::Client, email: &str, password: &str, accept: &str) -> reqwest::Response {
    let r = b.post(app.url("/api/staff_login")).header("accept", accept).form(&[("username", email), ("password", password)]).send().await.unwrap();
    let passed = if accept == FORM { r.headers().get("location").is_some_and(|l| l == "/staff/verify") } else { r.status() == 200 };
    if !passed {
        return r;
    }
    app.services.clock.advance(server::authenticator::STEP_SECS);
    let code = staff_code(&app.services, &email.to_lowercase()).await;
    b.post(app.url("/api/staff_verify")).header("accept", accept).form(&[("code", code.as_str())]).send().await.unwrap()
}

/// The patient session cookie a response sets, as its whole `Set-Cookie` value.
pub fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session=") && !c.starts_with("portal_session=;"))
        .map(str::to_string)
}

/// Drops the database's refusal to change audit entries, as whoever owns the
/// database could, so that a test can show the chain still catches the change.
pub async fn unguard_audit(store: &server::store::Store) {
    let unguard = match store.dialect {
        server::store::Dialect::Sqlite => "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete",
        server::store::Dialect::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER",
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(unguard)).execute(store).await.unwrap();
}

pub fn test_config(database_url: String) -> Config {
    let mut config = Config::defaults();
    config.database_url = database_url;
    // Fast hashes keep the suite quick; the production parameters have their own unit test.
    config.argon2_memory_kib = 1024;
    config.argon2_iterations = 1;
    config.ip_limit = 0;
    config.secret_key = Some(server::secret_key::SecretKey::parse(SECRET_KEY).unwrap());
    config
}

/// A test instance in production mode with settings it accepts: https, live
/// delivery over TLS (nothing listens at port 9, which does not matter to
/// what the tests ask), OWASP's hashes, and a key of its own (the suite's
/// own key is published, and production refuses it).
pub fn production(c: &mut Config) {
    c.mode = server::config::Mode::Production;
    c.secret_key = Some(server::secret_key::SecretKey::random());
    c.public_url = "https://portal.example.com".parse().unwrap();
    c.smtp_url = Some(server::config::SmtpUrl("smtps://127.0.0.1:9".into()));
    c.reset_methods = "question".parse().unwrap();
    c.argon2_memory_kib = 19456;
    c.argon2_iterations = 2;
}

/// The secret key every test server (and the CLI under test) shares, as instances of one deployment do.
/// A client as a current browser is: it says where each request came from
/// (`Sec-Fetch-Site`), as every browser since 2023 does.
pub fn browser_builder() -> reqwest::ClientBuilder {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    reqwest::Client::builder().default_headers(h)
}

pub const SECRET_KEY: &str = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0=";

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(db, &dir).await;
        Self::spawn_on(url, dir, adjust).await
    }

    /// Another instance on a database that may already have one: what a
    /// second server behind the same load balancer would be. Its delivery
    /// worker runs when `adjust` asks for live delivery.
    pub async fn spawn_on(database_url: String, dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_listening_as(database_url, dir, adjust, "127.0.0.1:3000".parse().unwrap()).await
    }

    /// An instance whose configured address (`LEPTOS_SITE_ADDR`) is
    /// `site_addr` (it still listens on a free loopback port).
    pub async fn spawn_listening_as(database_url: String, dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config), site_addr: SocketAddr) -> TestApp {
        let mut config = test_config(database_url);
        adjust(&mut config);
        let services = Services::start(config).await.expect("services start");
        server::delivery::worker::Worker::spawn(&services).expect("delivery settings");
        let site = dir.path().join("site");
        let options =
            leptos::config::LeptosOptions::builder().output_name("portal").site_root(site.to_string_lossy().into_owned()).site_addr(site_addr).build();
        let app = server::http::router(services.clone(), options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        let browser = browser_builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp { base: format!("http://{addr}"), services, browser, site, _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A chart enrolled through the same domain code as `portal demo`.
    pub async fn enrolled_patient(&self, first: &str, email: &str) -> PatientId {
        let id = self.chart(first, email).await;
        server::demo::enroll_with(&self.services, id, email, PASSWORD, "(217) 555-0199").await.unwrap();
        id
    }

    pub async fn chart(&self, first: &str, email: &str) -> PatientId {
        add_chart(&self.services, first, "Tester", email).await
    }

    /// The account whose own chart `patient` is (it must have registered).
    pub async fn account_of(&self, patient: PatientId) -> AccountId {
        server::store::grants::own_account(&self.services.store, patient).await.unwrap().expect("the chart's patient has an account")
    }

    /// A form body posted to `path`, as a browser without JavaScript sends it
    /// (`accept` = `FORM`) or as the hydrated page calls a server function (`JS`).
    pub async fn post(&self, path: &str, accept: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.browser.post(self.url(path)).header("accept", accept).form(form).send().await.unwrap()
    }

    /// The sign-in form as a browser without JavaScript posts it.
    pub async fn post_login_form(&self, username: &str, password: &str) -> reqwest::Response {
        self.post("/api/login", FORM, &[("username", username), ("password", password)]).await
    }

    /// The `login` server function as the hydrated page calls it.
    pub async fn call_login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post("/api/login", JS, &[("username", username), ("password", password)]).await
    }

    /// A browser's page request, to add headers to.
    pub fn page_request(&self, path: &str) -> reqwest::RequestBuilder {
        self.browser.get(self.url(path)).header("accept", "text/html")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.page_request(path).send().await.unwrap()
    }

    pub async fn page(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }
}

/// What a browser without JavaScript accepts: a page, or a redirect to one.
pub const FORM: &str = "text/html";
/// What the hydrated page accepts from a server function.
pub const JS: &str = "application/json";

/// The security code in a text message's body: the digits right after
/// "code is " (the body names the code's life in minutes too), exactly as
/// many as a code has.
pub fn code_in(body: &str) -> String {
    let code: String = body.split("code is ").nth(1).expect("a code in the text").chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(code.len(), app::code::DEFAULT_CODE_DIGITS, "{body}");
    code
}

/// A redirect's `Location`, or "" when the response has none.
pub fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_stores {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { let $app = $crate::common::TestApp::spawn($crate::common::Db::Sqlite).await; $body } )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { let $app = $crate::common::TestApp::spawn($crate::common::Db::Postgres).await; $body } )*
        }
    };
}

/// Runs each `async fn name(db: Db)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! each_store {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name($crate::common::Db::Sqlite).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name($crate::common::Db::Postgres).await } )* }
    };
}
