//! The `portal` command line as scripts use it (SPEC §6), on both stores.

use crate::common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::Db;

struct Cli {
    database_url: String,
    _dir: tempfile::TempDir,
}

impl Cli {
    async fn new(db: Db) -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let database_url = common::fresh_database(db, &dir).await;
        Cli { database_url, _dir: dir }
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("PORTAL_SECRET_KEY", common::SECRET_KEY)
            .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
            .env("PORTAL_ARGON2_ITERATIONS", "1")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

async fn the_command_line_works_as_documented(db: Db) {
    let cli = Cli::new(db).await;
    assert!(cli.run(&["migrate"], "").status.success());

    let id = cli.stdout(&["patient", "add", "--first", "Ann", "--last", "Lee", "--dob", "19800229", "--email", "Ann@Example.com", "--phone", "(217) 555-0101"]);
    assert!(id.trim().parse::<i64>().is_ok() && id.ends_with('\n') && id.lines().count() == 1, "{id:?}");

    let link = cli.stdout(&["invite", "--patient", id.trim()]);
    assert!(link.starts_with("http") && link.contains("/register/") && link.lines().count() == 1, "{link:?}");
    let other = cli.stdout(&["invite", "--patient", id.trim(), "--email", "ann.lee@example.com"]);
    assert_ne!(link, other, "a new invitation has a new link");
    assert!(!cli.run(&["invite", "--patient", "99999"], "").status.success());

    let bad = cli.run(&["patient", "add", "--first", "A", "--last", "B", "--dob", "1980-02-29"], "");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Use digits only, like 19800229."));

    let staff = cli.run(&["staff", "add", "--email", "reception@example.com", "--name", "Reception"], "Quiet-Maple-Desk-19\n");
    assert!(staff.status.success(), "{}", String::from_utf8_lossy(&staff.stderr));
    let weak = cli.run(&["staff", "add", "--email", "d2@example.com", "--name", "D2"], "password\n");
    assert!(!weak.status.success());

    assert!(cli.run(&["demo"], "").status.success());
    assert!(cli.run(&["demo"], "").status.success(), "demo is idempotent");
    let services = server::Services::start(common::test_config(cli.database_url.clone())).await.unwrap();
    let patients: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM patients").fetch_one(&services.store).await.unwrap();
    // 19 demo patients, and the charts of Ben, Tess and Henry Okafor (families and caregivers).
    assert_eq!(patients, 1 + 19 + 3);

    assert!(cli.stdout(&["audit", "verify"]).starts_with("audit chain intact"));
    let head = cli.stdout(&["audit", "head"]).trim().to_string();
    let (head_id, _) = head.split_once(':').unwrap();
    let head_id: i64 = head_id.parse().unwrap();
    assert!(cli.run(&["audit", "verify", "--head", &head], "").status.success());
    let pool = &services.store;
    // The database refuses to change or remove an entry...
    assert!(sqlx::query("UPDATE audit_events SET actor = 'x' WHERE id = 1").execute(pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_events WHERE id = $1").bind(head_id).execute(pool).await.is_err());
    // ...until whoever owns it drops the guard. Deleting the newest entry then
    // leaves a chain that holds, but no longer reaches the head kept elsewhere.
    common::unguard_audit(&services.store).await;
    sqlx::query("DELETE FROM audit_events WHERE id = $1").bind(head_id).execute(pool).await.unwrap();
    assert!(cli.stdout(&["audit", "verify"]).starts_with("audit chain intact"));
    let cut = cli.run(&["audit", "verify", "--head", &head], "");
    assert_eq!(cut.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&cut.stdout).trim(), format!("broken at entry {head_id}"));
    // An entry written with any other key is named.
    let forger = server::audit::Chain::new(services.store.dialect, &server::secret_key::SecretKey::random());
    let mut tx = services.store.begin_write().await.unwrap();
    let client = server::client::ClientMeta::cli();
    let entry = server::audit::Entry { patient_id: None, actor: server::audit::Actor::System, event: server::audit::Event::ChartCreated, detail: "", client: &client };
    forger.append(&mut tx, entry, 0).await.unwrap();
    tx.commit().await.unwrap();
    let forged: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_events").fetch_one(pool).await.unwrap();
    let broken = cli.run(&["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&broken.stdout).trim(), format!("broken at entry {forged}"));
    sqlx::query("DELETE FROM audit_events WHERE id = $1").bind(forged).execute(pool).await.unwrap();
    // A row edited by hand (its MAC left as it was) is named.
    let (edited,): (i64,) = sqlx::query_as("SELECT id FROM audit_events ORDER BY id DESC LIMIT 1 OFFSET 2")
        .fetch_one(&services.store)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET actor = 'staff:Nobody' WHERE id = $1").bind(edited).execute(&services.store).await.unwrap();
    let broken = cli.run(&["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&broken.stdout).trim(), format!("broken at entry {edited}"));
    // A deleted row breaks the chain at the entry after it.
    let (victim,): (i64,) = sqlx::query_as("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 3")
        .fetch_one(&services.store)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_events WHERE id = $1").bind(victim).execute(&services.store).await.unwrap();
    let broken = cli.run(&["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&broken.stdout).trim(), format!("broken at entry {}", victim + 1));

    // Whoever can write the database rewrites the whole log as entries from
    // before the chain was keyed (plain SHA-256, no key needed): the check
    // fails unless the operator accepts such entries.
    sqlx::query("DELETE FROM audit_events").execute(pool).await.unwrap();
    let genesis = "0".repeat(64);
    let hash = {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for field in [genesis.as_str(), "0", "", "system", "chart_created", "", "", ""] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    };
    sqlx::query(
        "INSERT INTO audit_events (at, patient_id, actor, event, detail, ip, user_agent, prev_hash, hash) \
         VALUES (0, NULL, 'system', 'chart_created', '', '', '', $1, $2)",
    )
    .bind(&genesis)
    .bind(&hash)
    .execute(pool)
    .await
    .unwrap();
    let legacy = cli.run(&["audit", "verify"], "");
    assert_eq!(legacy.status.code(), Some(1), "{}", String::from_utf8_lossy(&legacy.stdout));
    assert!(String::from_utf8_lossy(&legacy.stdout).contains("before the chain was keyed"));
    let allowed = cli.run(&["audit", "verify", "--allow-legacy"], "");
    assert!(allowed.status.success(), "the entry's hash holds; the operator accepts it");
    assert!(String::from_utf8_lossy(&allowed.stdout).starts_with("audit chain intact (1 entries"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_on_sqlite() {
    the_command_line_works_as_documented(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_on_postgres() {
    the_command_line_works_as_documented(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_configuration_names_the_variable() {
    let cli = Cli::new(Db::Sqlite).await;
    let out = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("migrate")
        .env("DATABASE_URL", &cli.database_url)
        .env("PORTAL_IP_LIMIT", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PORTAL_IP_LIMIT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_refuses_unsafe_settings_naming_each_variable() {
    let cli = Cli::new(Db::Sqlite).await;
    let key = server::secret_key::SecretKey::random().to_base64();
    let safe = [
        ("PORTAL_PUBLIC_URL", "https://portal.example.com"),
        ("PORTAL_SECRET_KEY", key.as_str()),
        ("PORTAL_SMTP_URL", "smtps://127.0.0.1:2465"),
        ("PORTAL_RESET_METHODS", "question"),
    ];
    let serve = |unsafe_vars: &[(&str, &str)], args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(args)
            .env("DATABASE_URL", &cli.database_url)
            .env("PORTAL_MODE", "production")
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .envs(safe.iter().copied().filter(|(k, _)| !unsafe_vars.iter().any(|(u, _)| u == k)))
            .envs(unsafe_vars.iter().copied().filter(|(_, v)| !v.is_empty()))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for (vars, named) in [
        (&[("PORTAL_DELIVERY", "outbox")][..], "PORTAL_DELIVERY=outbox"),
        (&[("PORTAL_SMTP_URL", "")][..], "PORTAL_SMTP_URL is required"),
        (&[("PORTAL_RESET_METHODS", "question,code")][..], "PORTAL_SMS_URL, PORTAL_SMS_ACCOUNT, PORTAL_SMS_TOKEN, PORTAL_SMS_FROM"),
        (&[("PORTAL_PUBLIC_URL", "http://portal.example.com")][..], "PORTAL_PUBLIC_URL must be an https:// URL"),
        (&[("PORTAL_SMTP_URL", "smtp://127.0.0.1:2525")][..], "PORTAL_SMTP_URL must use TLS"),
        (&[("PORTAL_SMTP_URL", "smtp://127.0.0.1:2525?tls=opportunistic")][..], "PORTAL_SMTP_URL must use TLS"),
        (&[("PORTAL_SMS_URL", "http://sms.example.com")][..], "PORTAL_SMS_URL must be an https:// URL"),
        (&[("PORTAL_ARGON2_MEMORY_KIB", "8192")][..], "PORTAL_ARGON2_MEMORY_KIB"),
        (&[("PORTAL_ARGON2_ITERATIONS", "1")][..], "PORTAL_ARGON2_ITERATIONS"),
        (&[("PORTAL_SECRET_KEY", "")][..], "PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) is required"),
        // The development key once committed under server/data/, and the test suite's.
        (&[("PORTAL_SECRET_KEY", "bR9cqb/jgYYdQvLD5t9McIk8Uxth8OwMIh4vLR1Cmds=")][..], "was published in the portal's repository"),
        (&[("PORTAL_SECRET_KEY", common::SECRET_KEY)][..], "was published in the portal's repository"),
    ] {
        let (code, stderr) = serve(vars, &["serve"]);
        assert_eq!(code, Some(2), "{vars:?}: {stderr}");
        assert!(stderr.contains(named), "{vars:?}: {stderr}");
    }
    let (code, stderr) = serve(&[], &["demo"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`portal demo` is refused in production mode"), "{stderr}");
    let (code, stderr) = serve(&[], &["outbox"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("PORTAL_DELIVERY=outbox"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_makes_a_secret_key_once_in_the_data_dir() {
    let cli = Cli::new(Db::Sqlite).await;
    let data = cli._dir.path().join("data");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("migrate")
            .env("DATABASE_URL", &cli.database_url)
            .env("PORTAL_DATA_DIR", &data)
            .env("PORTAL_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success());
    // PORTAL_LOG_FORMAT=json: each log line one JSON object.
    let logged = String::from_utf8_lossy(&first.stderr).into_owned();
    let line = logged.lines().find(|l| l.contains("made a secret key")).unwrap_or_else(|| panic!("{logged}"));
    let json: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(json["level"], "INFO");
    let key = std::fs::read_to_string(data.join("secret.key")).unwrap();
    assert!(run().status.success());
    assert_eq!(std::fs::read_to_string(data.join("secret.key")).unwrap(), key, "kept, not made again");
}
