//! Behind a real proxy (SPEC §5, §6): Debian's nginx in front of three
//! `portal` processes on one PostgreSQL, with `PORTAL_TRUSTED_PROXIES`
//! naming it. Patients sign in and reset their passwords through it while
//! one instance is killed (SIGKILL) mid-run; afterwards every acknowledged
//! change is there, every message went out (at least once, never lost),
//! sessions worked on whichever instance answered, and the per-IP limit
//! counted the real client address, not one a client claimed.

use crate::common;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::process::{free_port, portal_serve, wait_for_health};
use common::smtp_sink::SmtpSink;
use common::{add_chart, fresh_database, test_config, Db, JS, PASSWORD};

const PATIENTS: usize = 12;
const IP_LIMIT: u32 = 20;
const NEW_PASSWORD: &str = "Copper-Kettle-Meadow-58";

/// Debian's nginx, wherever its package put it.
fn nginx_binary() -> &'static str {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("nginx is not installed: scripts/debian-packages.sh installs it")
}

/// Children killed when the test ends, however it ends.
struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            if !matches!(child.try_wait(), Ok(None)) {
                continue; // already gone (the one the test killed)
            }
            // SIGTERM, so that nginx's master takes its workers with it.
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }
}

fn nginx_conf(dir: &std::path::Path, listen: u16, upstreams: &[u16]) -> String {
    let servers: String = upstreams.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n")).collect();
    let d = dir.display();
    format!(
        "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
           upstream portal {{\n{servers}  }}\n\
           server {{\n    listen 127.0.0.1:{listen};\n    location / {{\n      proxy_pass http://portal;\n\
               proxy_set_header Host $http_host;\n\
               proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
               proxy_set_header X-Forwarded-Proto $scheme;\n\
               proxy_next_upstream error timeout;\n      proxy_connect_timeout 2s;\n    }}\n  }}\n}}\n"
    )
}

/// A browser of its own, at its own loopback address (the whole of
/// 127.0.0.0/8 is this machine's), keeping its cookies.
fn browser_at(ip: Ipv4Addr) -> reqwest::Client {
    common::browser_builder()
        .local_address(IpAddr::V4(ip))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sends until the proxy has an answer from an instance: 502 and 504 are
/// the proxy's own (the instance it chose died), which a patient retries.
async fn answered(send: impl Fn() -> reqwest::RequestBuilder) -> reqwest::Response {
    for _ in 0..20 {
        match send().send().await {
            Ok(r) if r.status() != 502 && r.status() != 504 => return r,
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    panic!("no instance answered through the proxy");
}

/// One patient's visit: sign in, look at settings a few times (each request
/// may land on another instance), reset the password from the emailed link,
/// and sign in with the new one. Returns how many reset emails were asked
/// for and acknowledged.
async fn visit(i: usize, base: String, sink: Arc<SmtpSink>, steps: Arc<AtomicUsize>) -> usize {
    let browser = browser_at(Ipv4Addr::new(127, 0, 1, i as u8 + 1));
    let email = format!("p{i}@example.com");
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let (b, url) = (browser.clone(), format!("{base}{path}"));
        move || b.post(&url).header("accept", JS).form(&form)
    };
    let signed_in = answered(post("/api/login", vec![("username", email.clone()), ("password", PASSWORD.into())])).await;
    assert_eq!(signed_in.status(), 200, "{email} signs in");
    steps.fetch_add(1, Ordering::SeqCst);
    for _ in 0..3 {
        let page = answered(|| browser.get(format!("{base}/settings")).header("accept", "text/html")).await;
        assert_eq!(page.status(), 200, "{email}'s session holds on every instance");
        steps.fetch_add(1, Ordering::SeqCst);
    }
    let mut asked = 0;
    for round in 0..3 {
        let before = sink.received().into_iter().filter(|m| m.to.contains(&email)).count();
        let sent = answered(post("/api/forgot_password", vec![("username", email.clone())])).await;
        assert_eq!(sent.status(), 200, "{email} asks for a reset email");
        asked += 1;
        steps.fetch_add(1, Ordering::SeqCst);
        let start = Instant::now();
        let mail = loop {
            let mine: Vec<_> = sink.received().into_iter().filter(|m| m.to.contains(&email)).collect();
            if mine.len() > before {
                break mine.last().unwrap().clone();
            }
            assert!(start.elapsed() < Duration::from_secs(40), "{email}'s reset email never came");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let text = mail.text.unwrap_or_default();
        let link = text.lines().find_map(|l| l.strip_prefix("Reset password: ")).expect("a link in the email");
        let token = link.rsplit('/').next().unwrap().to_string();
        let answer = answered(post("/api/reset_answer", vec![("token", token.clone()), ("dob", "19800101".into()), ("answer", "Biscuit".into())])).await;
        steps.fetch_add(1, Ordering::SeqCst);
        if answer.status() != 200 {
            eprintln!("{email}: round {round} answer step got {}; starting over", answer.status());
            continue;
        }
        let saved = answered(post(
            "/api/reset_password",
            vec![("token", token), ("password", NEW_PASSWORD.into()), ("confirm", NEW_PASSWORD.into())],
        ))
        .await;
        steps.fetch_add(1, Ordering::SeqCst);
        if saved.status() == 200 {
            let back = answered(post("/api/login", vec![("username", email.clone()), ("password", NEW_PASSWORD.into())])).await;
            assert_eq!(back.status(), 200, "{email}'s acknowledged new password works");
            return asked;
        }
        eprintln!("{email}: round {round} new password got {}; starting over", saved.status());
    }
    panic!("{email} never got back in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_behind_nginx_survive_losing_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(Db::Postgres, &dir).await;
    let services = server::Services::start(test_config(url.clone())).await.unwrap();
    for i in 0..PATIENTS {
        let email = format!("p{i}@example.com");
        let id = add_chart(&services, "P", &format!("Patient{i}"), &email).await;
        server::demo::enroll_with(&services, id, &email, PASSWORD, "(217) 555-0199").await.unwrap();
    }

    let sink = Arc::new(SmtpSink::start());
    let listen = free_port();
    let base = format!("http://127.0.0.1:{listen}");
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut instances = Running(Vec::new());
    for &port in &ports {
        let child = portal_serve(&url, &sink.url(), port)
            .env("PORTAL_TRUSTED_PROXIES", "127.0.0.1/32")
            .env("PORTAL_IP_LIMIT", IP_LIMIT.to_string())
            .env("PORTAL_PUBLIC_URL", &base)
            .spawn()
            .unwrap();
        instances.0.push(child);
    }
    for &port in &ports {
        wait_for_health(&format!("http://127.0.0.1:{port}")).await;
    }
    let proxy_dir = tempfile::tempdir().unwrap();
    // nginx's workers drop root; they must reach their temporary folders.
    std::fs::set_permissions(proxy_dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let conf = proxy_dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(proxy_dir.path(), listen, &ports)).unwrap();
    let nginx = Command::new(nginx_binary())
        .args(["-e", &proxy_dir.path().join("error.log").to_string_lossy(), "-p"])
        .arg(proxy_dir.path())
        .arg("-c")
        .arg(&conf)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let _proxy = Running(vec![nginx]);
    wait_for_health(&base).await;

    // The visits, with one instance killed a third of the way through.
    let steps = Arc::new(AtomicUsize::new(0));
    let visits: Vec<_> = (0..PATIENTS).map(|i| tokio::spawn(visit(i, base.clone(), sink.clone(), steps.clone()))).collect();
    let start = Instant::now();
    while steps.load(Ordering::SeqCst) < PATIENTS * 7 / 3 {
        assert!(start.elapsed() < Duration::from_secs(60), "the visits never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    instances.0[1].kill().unwrap(); // SIGKILL
    instances.0[1].wait().unwrap();
    let done = steps.load(Ordering::SeqCst);
    let mut asked = 0;
    for v in visits {
        asked += v.await.unwrap();
    }
    eprintln!("killed one instance after {done} steps; {asked} reset emails asked for");

    // Every message goes out: the killed instance's leased ones once their lease ends.
    let start = Instant::now();
    loop {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'").fetch_one(&services.store).await.unwrap();
        if left == 0 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{left} messages never went out");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&services.store).await.unwrap();
    let received = sink.received();
    let ids: BTreeSet<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len() as i64, queued, "each queued message arrived (by Message-ID)");
    assert!(queued as usize >= asked, "{queued} messages for {asked} acknowledged requests");
    assert!(received.len() - ids.len() <= 16, "copies beyond those the killed instance had in hand: {}", received.len() - ids.len());

    // The limit counts the address nginx saw, on every instance alike, and a
    // client can't step around it by claiming another address. The servers
    // count per clock minute: start the burst well inside one.
    let into_minute = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() % 60;
    if into_minute > 40 {
        tokio::time::sleep(Duration::from_secs(61 - into_minute)).await;
    }
    let crowd = browser_at(Ipv4Addr::new(127, 0, 2, 1));
    let wrong = || crowd.post(format!("{base}/api/login")).header("accept", JS).form(&[("username", "nobody@example.com"), ("password", "Wrong-Password-1")]);
    for n in 0..IP_LIMIT {
        assert_eq!(answered(wrong).await.status(), 401, "try {}", n + 1);
    }
    assert_eq!(answered(wrong).await.status(), 429);
    assert_eq!(answered(|| wrong().header("x-forwarded-for", "203.0.113.9")).await.status(), 429, "a claimed address is not trusted");
    let neighbour = browser_at(Ipv4Addr::new(127, 0, 2, 2));
    let other = neighbour.post(format!("{base}/api/login")).header("accept", JS).form(&[("username", "nobody@example.com"), ("password", "Wrong-Password-1")]);
    assert_eq!(other.send().await.unwrap().status(), 401, "another client's budget is its own");
}
