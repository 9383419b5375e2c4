//! A scripted stand-in for the service, for deterministic unit tests of polling, retries and the
//! netcfg writer (behaviour against the full emulator is covered in `tests/asm_client.rs`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;

use crate::asm::xml::messages::{
    CreateLocalNetworkGatewayParameters, GatewayOperation, GatewayOperationAsyncResponse,
    GatewayOperationStatus, List, LocalNetworkGateway, Message, Operation, OperationStatus,
    SerializedString, ServiceError,
};

#[derive(Default)]
pub(crate) struct Script {
    pub(crate) netcfg: Option<String>,
    pub(crate) puts: usize,
    /// Statuses to answer the next requests with, before any routing.
    pub(crate) failures: VecDeque<u16>,
    /// A PUT whose body contains this text is refused with 400.
    pub(crate) refuse_marker: Option<String>,
    /// Style-A operations never finish (to test cancellation).
    pub(crate) operations_hang: bool,
    /// Creates of local network gateways that succeed but whose answer is lost (a 500 after the
    /// work is done): the case where blindly resending would create a duplicate.
    pub(crate) lost_create_answers: usize,
    pub(crate) local_gateways: Vec<LocalNetworkGateway>,
    polls: HashMap<String, u32>,
}

pub(crate) struct FakeService {
    pub(crate) url: String,
    pub(crate) script: Arc<Mutex<Script>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeService {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeService {
    pub(crate) async fn start() -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&script));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url,
            script,
            server,
        }
    }

    pub(crate) fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script.lock().unwrap()
    }
}

fn reply(status: u16, body: String) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("x-ms-request-id", uuid::Uuid::new_v4().simple().to_string())
        .body(Body::from(body))
        .unwrap()
}

fn error(status: u16, code: &str, message: &str) -> Response {
    let body = ServiceError {
        code: code.into(),
        message: message.into(),
    };
    reply(status, body.to_xml())
}

async fn answer(
    State(script): State<Arc<Mutex<Script>>>,
    method: Method,
    uri: Uri,
    body: String,
) -> Response {
    let mut s = script.lock().unwrap();
    if let Some(status) = s.failures.pop_front() {
        return error(status, "ServerBusy", "scripted failure");
    }
    let path: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    match (method, &path[1..]) {
        (Method::GET, ["services", "networking", "media"]) => match &s.netcfg {
            Some(doc) => reply(200, doc.clone()),
            None => error(
                404,
                "ResourceNotFound",
                "Network configuration does not exist.",
            ),
        },
        (Method::PUT, ["services", "networking", "media"]) => {
            if s.refuse_marker
                .as_ref()
                .is_some_and(|m| body.contains(m.as_str()))
            {
                return error(400, "BadRequest", "refused by the script");
            }
            s.puts += 1;
            s.netcfg = Some(body);
            let response = reply(202, String::new());
            let id = response.headers()["x-ms-request-id"]
                .to_str()
                .unwrap()
                .to_string();
            s.polls.insert(id, 0);
            response
        }
        (Method::GET, ["operations", id]) => {
            let polls = s.polls.entry(id.to_string()).or_default();
            *polls += 1;
            let status = if *polls < 2 || s.operations_hang {
                OperationStatus::InProgress
            } else {
                OperationStatus::Succeeded
            };
            let op = Operation {
                id: id.to_string(),
                status,
                http_status_code: None,
                error: None,
            };
            reply(200, op.to_xml())
        }
        (Method::POST, ["services", "networking", "localnetworkgateways"]) => {
            let Ok(create) = CreateLocalNetworkGatewayParameters::from_xml(&body) else {
                return error(400, "InvalidXmlRequest", "unreadable body");
            };
            let id = uuid::Uuid::new_v4().to_string();
            s.local_gateways.push(LocalNetworkGateway {
                address_space: create.address_space,
                gateway_name: create.gateway_name,
                id: id.clone(),
                ip_address: create.ip_address,
                bgp_settings: None,
            });
            if s.lost_create_answers > 0 {
                s.lost_create_answers -= 1;
                return error(500, "InternalError", "An internal error has occurred.");
            }
            reply(200, SerializedString { value: id }.to_xml())
        }
        (Method::GET, ["services", "networking", "localnetworkgateways"]) => {
            let list = List {
                items: s.local_gateways.clone(),
            };
            reply(200, list.to_xml())
        }
        (Method::POST, ["services", "networking", _, "gateway"]) => {
            let ack = GatewayOperationAsyncResponse { id: "op-1".into() };
            reply(201, ack.to_xml())
        }
        (Method::GET, ["services", "networking", "operation", id]) => {
            let op = GatewayOperation {
                id: id.to_string(),
                operation_name: "CreateGateway".into(),
                operation_started_time: "2015-04-11T23:18:03.8661764".into(),
                operation_completed_time: None,
                status: GatewayOperationStatus::Failed,
                http_status_code: Some("BadRequest".into()),
                data: None,
                error: Some(ServiceError {
                    code: "BadRequest".into(),
                    message: "The gateway subnet is too small.".into(),
                }),
            };
            reply(200, op.to_xml())
        }
        _ => error(404, "ResourceNotFound", "no such route in the script"),
    }
}
