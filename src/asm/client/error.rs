//! Errors of the client: what the service said, what the network did, and which call it was.

use std::fmt;
use std::time::Duration;

/// Which call failed: method and path (no query string, never a body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    pub method: String,
    pub path: String,
}

impl fmt::Display for CallSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The service answered with an error status and (usually) an `<Error><Code/><Message/></Error>` body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{call} failed with HTTP {status} {code}: {message} (request id {})", .request_id.as_deref().unwrap_or("none"))]
pub struct AsmError {
    pub call: CallSite,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl AsmError {
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || self.code == "ResourceNotFound"
    }

    /// Another operation holds the object (the peers' `AnotherOperationInProgress`).
    pub fn is_conflict(&self) -> bool {
        self.status == 409 || is_conflict_code(&self.code)
    }
}

/// Codes saying another operation held the object, so this change was not made.
pub(crate) fn is_conflict_code(code: &str) -> bool {
    matches!(code, "ConflictError" | "AnotherOperationInProgress")
}

/// How the HTTP exchange itself failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// The connection was never established: the request was certainly not sent.
    Connect,
    /// The TLS handshake failed (untrusted server certificate, management certificate refused).
    Tls,
    /// No answer in time: the request may or may not have been processed.
    Timeout,
    /// The connection dropped or the answer was unreadable: may or may not have been processed.
    Interrupted,
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Tls => "TLS handshake failed",
            Self::Timeout => "timed out",
            Self::Interrupted => "connection interrupted",
        })
    }
}

/// Every failure of an API call. `Clone`, so one failed netcfg cycle can answer each caller batched into it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Service(Box<AsmError>),
    #[error("{call}: {failure}: {detail}")]
    Transport {
        call: CallSite,
        failure: TransportFailure,
        detail: String,
    },
    #[error("{call}: unexpected response: {reason}")]
    Decode { call: CallSite, reason: String },
    #[error("{call}: operation {operation_id} failed: {code}: {message}")]
    OperationFailed {
        call: CallSite,
        operation_id: String,
        code: String,
        message: String,
    },
    #[error("{call}: {what} is in state {state}, not the one the call leads to")]
    UnexpectedState {
        call: CallSite,
        what: String,
        state: String,
    },
    #[error("{call}: not finished within the deadline ({waited:?})")]
    DeadlineExceeded { call: CallSite, waited: Duration },
    #[error("{call}: cancelled")]
    Cancelled { call: CallSite },
}

impl From<AsmError> for ClientError {
    fn from(error: AsmError) -> Self {
        Self::Service(Box::new(error))
    }
}

impl ClientError {
    /// The service's error, when the service answered with one.
    pub fn service(&self) -> Option<&AsmError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.service().is_some_and(AsmError::is_not_found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_error_message_names_the_call_code_and_request_id() {
        let e = AsmError {
            call: CallSite {
                method: "POST".into(),
                path: "/sub/services/networking/vnet1/gateway".into(),
            },
            status: 400,
            code: "BadRequest".into(),
            message: "The specified virtual network name 'vnet1' is not valid".into(),
            request_id: Some("0123456789abcdef0123456789abcdef".into()),
        };
        let text = e.to_string();
        for part in [
            "POST /sub/services/networking/vnet1/gateway",
            "400",
            "BadRequest",
            "0123456789abcdef",
        ] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        assert!(!e.is_not_found());
        assert!(!e.is_conflict());
    }
}
