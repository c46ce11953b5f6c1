//! A Twilio-style text and voice provider on loopback: records every request
//! and answers from a script (status and body, or no answer for a while),
//! then 201 once the script runs out.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16, &'static str),
    /// Answer 201 only after this long (longer than the client waits).
    Hang(Duration),
}

#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub authorization: Option<String>,
    pub form: Vec<(String, String)>,
}

impl Request {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<Request>>,
}

pub struct Provider {
    pub base: String,
    shared: Arc<Shared>,
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    Path(rest): Path<String>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    shared.requests.lock().unwrap().push(Request {
        path: format!("/{rest}"),
        authorization: headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
        form: url::form_urlencoded::parse(body.as_bytes()).into_owned().collect(),
    });
    let next = shared.script.lock().unwrap().pop_front();
    match next {
        Some(Reply::Status(code, body)) => (StatusCode::from_u16(code).unwrap(), body.to_string()),
        Some(Reply::Hang(d)) => {
            tokio::time::sleep(d).await;
            (StatusCode::CREATED, "{}".to_string())
        }
        None => (StatusCode::CREATED, r#"{"sid": "SM1", "status": "queued"}"#.to_string()),
    }
}

impl Provider {
    pub async fn start(script: Vec<Reply>) -> Provider {
        let shared = Arc::new(Shared { script: Mutex::new(script.into()), requests: Mutex::default() });
        let app = axum::Router::new().route("/{*rest}", axum::routing::post(answer)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Provider { base: format!("http://{addr}"), shared }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }
}
