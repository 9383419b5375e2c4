//! The service's error responses (asm-api.md section 6), as a type the handlers return.

use crate::asm::xml::messages::{Message, ServiceError};
use crate::asm::xml::XmlError;

/// An error answer: HTTP status plus the `<Error>` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFound", message)
    }

    pub fn version_header() -> Self {
        Self::new(
            400,
            "MissingOrIncorrectVersionHeader",
            "The versioning header is not specified or was specified incorrectly.",
        )
    }

    pub fn invalid_xml() -> Self {
        Self::new(
            400,
            "InvalidXmlRequest",
            "The request body's XML was invalid or not correctly specified.",
        )
    }

    pub fn not_deserializable() -> Self {
        Self::bad_request(
            "The specified request content was not valid and could not be deserialized.",
        )
    }

    pub fn unknown_vnet(vnet: &str) -> Self {
        Self::bad_request(format!(
            "The specified virtual network name '{vnet}' is not valid or could not be found."
        ))
    }

    pub fn gateway_state() -> Self {
        Self::bad_request("The current provisioning status of the gateway prevents this operation.")
    }

    pub fn subnet_in_use() -> Self {
        Self::bad_request("Cannot delete or modify subnet while in use 'GatewaySubnet'.")
    }

    pub fn no_netcfg() -> Self {
        Self::not_found("Network configuration does not exist.")
    }

    pub fn circuit_not_found(service_key: &str) -> Self {
        Self::not_found(format!(
            "The specified dedicated circuit with service key '{service_key}' was not found."
        ))
    }

    pub fn conflict(what: &str, operation_id: &str) -> Self {
        Self::new(
            409,
            "ConflictError",
            format!(
                "{what} is being changed by operation {operation_id}; retry once it has completed."
            ),
        )
    }

    pub fn authentication_failed() -> Self {
        Self::new(
            403,
            "AuthenticationFailed",
            "The server failed to authenticate the request. Verify that the certificate is valid and is associated with this subscription.",
        )
    }

    pub fn internal() -> Self {
        Self::new(500, "InternalError", "An internal error has occurred.")
    }

    pub fn too_many_requests() -> Self {
        Self::new(
            429,
            "TooManyRequests",
            "The request rate is too high. Retry after a while.",
        )
    }

    pub fn server_busy() -> Self {
        Self::new(
            503,
            "ServerBusy",
            "The server is currently unable to receive requests. Please retry your request.",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            "The requested method is not supported on this resource.",
        )
    }

    pub fn no_route() -> Self {
        Self::not_found("The requested URI does not represent any resource on the server.")
    }

    pub fn to_xml(&self) -> String {
        ServiceError {
            code: self.code.to_string(),
            message: self.message.clone(),
        }
        .to_xml()
    }
}

/// A request body that cannot be read: not XML at all (or the wrong document) is `InvalidXmlRequest`; a
/// value that does not fit its type is `BadRequest`, as the service answers.
impl From<XmlError> for ApiError {
    fn from(e: XmlError) -> Self {
        match e {
            XmlError::Malformed(_) | XmlError::TooDeep(_) | XmlError::UnexpectedRoot { .. } => {
                ApiError::invalid_xml()
            }
            XmlError::Missing(_) | XmlError::InvalidValue { .. } => ApiError::not_deserializable(),
        }
    }
}
