//! One request, start to finish: fault injection, authentication, the version header, routing, the
//! handler under the store's lock, the response headers and the request log.

use super::auth::CertRegistry;
use super::config::OpDelays;
use super::error::ApiError;
use super::faults::{Fault, Faults};
use super::handlers::{dispatch, is_mutating, Ctx, Reply};
use super::request_log::RequestLog;
use super::routes;
use super::store::Store;
use axum::body::Body;
use hyper::{Request, Response};
use std::sync::Arc;

/// Largest request body accepted (a network configuration is a few kilobytes).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Returned instead of a response to make hyper close the connection unanswered (fault injection).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub struct DropConnection;

pub struct App {
    pub store: Store,
    pub delays: OpDelays,
    pub faults: Option<Faults>,
    pub log: Option<RequestLog>,
    /// Present in TLS mode: requests must present a management certificate registered here.
    pub registry: Option<CertRegistry>,
}

impl App {
    pub async fn handle(
        self: Arc<Self>,
        req: Request<hyper::body::Incoming>,
        client_certificate: Option<Arc<Vec<u8>>>,
    ) -> Result<Response<Body>, DropConnection> {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        // A fast thread-local generator: ids only need to be unique, and this runs on every request.
        let request_id = format!("{:032x}", rand::random::<u128>());

        let fault = self.faults.as_ref().and_then(Faults::draw);
        let response = match fault {
            Some(Fault::Drop) => {
                self.log(&method, &path, 0);
                return Err(DropConnection);
            }
            Some(Fault::Answer(error)) => error_response(&error, &request_id),
            None => self.answer(req, client_certificate, &request_id).await,
        };
        self.log(&method, &path, response.status().as_u16());
        Ok(response)
    }

    async fn answer(
        &self,
        req: Request<hyper::body::Incoming>,
        client_certificate: Option<Arc<Vec<u8>>>,
        request_id: &str,
    ) -> Response<Body> {
        let (parts, body) = req.into_parts();
        let route = routes::parse(parts.uri.path());
        if let Some(registry) = &self.registry {
            let authorized = match (&route, &client_certificate) {
                (Some((sub, _)), Some(cert)) => registry.is_authorized(sub, cert),
                _ => false,
            };
            if !authorized {
                return error_response(&ApiError::authentication_failed(), request_id);
            }
        }
        let version_ok = parts
            .headers
            .get("x-ms-version")
            .and_then(|v| v.to_str().ok())
            .is_some_and(valid_version);
        if !version_ok {
            return error_response(&ApiError::version_header(), request_id);
        }
        let Some((subscription, route)) = route else {
            return error_response(&ApiError::no_route(), request_id);
        };
        let body = match axum::body::to_bytes(Body::new(body), MAX_BODY).await {
            Ok(b) => b,
            Err(_) => return error_response(&ApiError::invalid_xml(), request_id),
        };
        let run = || {
            self.store.with_subscription(
                &subscription,
                is_mutating(&parts.method),
                |sub, now_ms| {
                    let ctx = Ctx {
                        delays: &self.delays,
                        now_ms,
                        request_id,
                    };
                    dispatch(sub, &ctx, &parts.method, &route, &body)
                },
            )
        };
        // A change is fsynced before it is acknowledged: keep that blocking write off the reactor.
        let result = if is_mutating(&parts.method) {
            tokio::task::block_in_place(run)
        } else {
            run()
        };
        match result {
            Ok(reply) => reply_response(reply, request_id),
            Err(error) => error_response(&error, request_id),
        }
    }

    fn log(&self, method: &hyper::Method, path: &str, status: u16) {
        if let Some(log) = &self.log {
            log.record(method.as_str(), path, status);
        }
    }
}

/// `x-ms-version` values are dates: `2016-07-01`.
fn valid_version(v: &str) -> bool {
    v.len() == 10 && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
}

fn response(
    status: u16,
    content_type: Option<&str>,
    body: String,
    request_id: &str,
) -> Response<Body> {
    let mut builder = Response::builder()
        .status(status)
        .header("x-ms-request-id", request_id);
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    builder.body(Body::from(body)).unwrap_or_else(|_| {
        // Only reachable with an invalid status code, which the handlers never produce.
        let mut r = Response::new(Body::empty());
        *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}

const XML: &str = "application/xml; charset=utf-8";

fn reply_response(reply: Reply, request_id: &str) -> Response<Body> {
    match reply {
        Reply::Xml(status, body) => response(status, Some(XML), body, request_id),
        Reply::Text(status, body) => response(status, Some("text/plain"), body, request_id),
        Reply::Empty(status) => response(status, None, String::new(), request_id),
    }
}

fn error_response(error: &ApiError, request_id: &str) -> Response<Body> {
    response(error.status, Some(XML), error.to_xml(), request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_header_must_be_a_date() {
        assert!(valid_version("2016-07-01"));
        assert!(valid_version("2011-10-01"));
        for bad in ["", "2016-7-1", "2016-13-01", "yesterday", "2016-07-01x"] {
            assert!(!valid_version(bad), "{bad}");
        }
    }
}
