//! Async operation status documents (style A: `Operation`; style B: `GatewayOperation*`) and `Error`.

use super::{ElementBuilder, Message};
use crate::asm::xml::tree::Element;
use crate::asm::xml::value::{opt_parse, opt_text, req_parse, req_text, wire_enum};
use crate::asm::xml::XmlError;

wire_enum! {
    /// Style A (subscription operation) status.
    OperationStatus { InProgress = "InProgress", Succeeded = "Succeeded", Failed = "Failed" }
}

wire_enum! {
    /// Style B (gateway manager operation) status: note `Successful`, not `Succeeded`.
    GatewayOperationStatus { InProgress = "InProgress", Successful = "Successful", Failed = "Failed" }
}

/// `<Error><Code/><Message/></Error>`: an error response body, and the error of a failed operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub code: String,
    pub message: String,
}

impl Message for ServiceError {
    const ROOT: &'static str = "Error";

    fn write_children(&self, e: &mut Element) {
        e.push_text("Code", &self.code);
        e.push_text("Message", &self.message);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(ServiceError {
            code: opt_text(e, "Code").unwrap_or_default(),
            message: opt_text(e, "Message").unwrap_or_default(),
        })
    }
}

fn opt_error(e: &Element) -> Result<Option<ServiceError>, XmlError> {
    e.child("Error")
        .filter(|c| !c.is_nil())
        .map(ServiceError::from_element)
        .transpose()
}

/// Style A: `GET /{sub}/operations/{request-id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The request id as a dashed GUID.
    pub id: String,
    pub status: OperationStatus,
    /// Present once the operation has completed.
    pub http_status_code: Option<u16>,
    pub error: Option<ServiceError>,
}

impl Message for Operation {
    const ROOT: &'static str = "Operation";

    fn write_children(&self, e: &mut Element) {
        e.push_text("ID", &self.id);
        e.push_text("Status", self.status);
        e.push_text_opt("HttpStatusCode", self.http_status_code);
        if let Some(err) = &self.error {
            e.push_child(err.to_element());
        }
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(Operation {
            id: req_text(e, "ID")?,
            status: req_parse(e, "Status")?,
            http_status_code: opt_parse(e, "HttpStatusCode")?,
            error: opt_error(e)?,
        })
    }
}

/// Style B acknowledgement: the id to poll at `services/networking/operation/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayOperationAsyncResponse {
    pub id: String,
}

impl Message for GatewayOperationAsyncResponse {
    const ROOT: &'static str = "GatewayOperationAsyncResponse";

    fn write_children(&self, e: &mut Element) {
        e.push_text("ID", &self.id);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(GatewayOperationAsyncResponse {
            id: req_text(e, "ID")?,
        })
    }
}

/// Style B status: `GET services/networking/operation/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayOperation {
    pub id: String,
    /// e.g. `CreateGateway`, `DeleteGateway`, `UpgradeGateway`, `CreateGatewayConnectionWorkItem`.
    pub operation_name: String,
    /// 7 fractional digits, no `Z`: `2015-04-11T23:18:03.8661764`.
    pub operation_started_time: String,
    pub operation_completed_time: Option<String>,
    pub status: GatewayOperationStatus,
    /// An HTTP status enum name (`OK`), present once completed.
    pub http_status_code: Option<String>,
    /// Usually empty.
    pub data: Option<String>,
    pub error: Option<ServiceError>,
}

impl Message for GatewayOperation {
    const ROOT: &'static str = "GatewayOperation";

    fn write_children(&self, e: &mut Element) {
        match &self.data {
            Some(d) if !d.is_empty() => e.push_text("Data", d),
            _ => e.push_child(Element::new("Data")),
        }
        if let Some(err) = &self.error {
            e.push_child(err.to_element());
        }
        e.push_text_opt("HttpStatusCode", self.http_status_code.as_ref());
        e.push_text("ID", &self.id);
        e.push_text_opt(
            "OperationCompletedTime",
            self.operation_completed_time.as_ref(),
        );
        e.push_text("OperationName", &self.operation_name);
        e.push_text("OperationStartedTime", &self.operation_started_time);
        e.push_text("Status", self.status);
    }

    fn from_element(e: &Element) -> Result<Self, XmlError> {
        Ok(GatewayOperation {
            id: req_text(e, "ID")?,
            operation_name: opt_text(e, "OperationName").unwrap_or_default(),
            operation_started_time: opt_text(e, "OperationStartedTime").unwrap_or_default(),
            operation_completed_time: opt_text(e, "OperationCompletedTime"),
            status: req_parse(e, "Status")?,
            http_status_code: opt_text(e, "HttpStatusCode"),
            data: opt_text(e, "Data").filter(|d| !d.is_empty()),
            error: opt_error(e)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{assert_round_trip, compact};
    use super::*;

    #[test]
    fn operation_style_a() {
        let sample = r#"<Operation xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <ID>6e8e79e5-d597-b631-a860-222e789e1fcb</ID>
  <Status>InProgress</Status>
</Operation>"#;
        let op = Operation {
            id: "6e8e79e5-d597-b631-a860-222e789e1fcb".into(),
            status: OperationStatus::InProgress,
            http_status_code: None,
            error: None,
        };
        assert_round_trip(sample, &op);
        assert_eq!(op.to_xml(), compact(sample));
        let failed = Operation {
            status: OperationStatus::Failed,
            http_status_code: Some(400),
            error: Some(ServiceError {
                code: "BadRequest".into(),
                message: "m".into(),
            }),
            ..op
        };
        let xml = failed.to_xml();
        assert!(xml.contains("<Status>Failed</Status><HttpStatusCode>400</HttpStatusCode><Error><Code>BadRequest</Code>"));
        assert_eq!(Operation::from_xml(&xml), Ok(failed));
    }

    #[test]
    fn gateway_operation_style_b() {
        let sample = r#"<GatewayOperation xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Data />
  <ID>578966c5-60fc-b489-8ea4-0ed99540bc8f</ID>
  <OperationName>CreateGateway</OperationName>
  <OperationStartedTime>2015-04-11T23:18:03.8661764</OperationStartedTime>
  <Status>InProgress</Status>
</GatewayOperation>"#;
        let op = GatewayOperation {
            id: "578966c5-60fc-b489-8ea4-0ed99540bc8f".into(),
            operation_name: "CreateGateway".into(),
            operation_started_time: "2015-04-11T23:18:03.8661764".into(),
            operation_completed_time: None,
            status: GatewayOperationStatus::InProgress,
            http_status_code: None,
            data: None,
            error: None,
        };
        assert_round_trip(sample, &op);
        assert_eq!(op.to_xml(), compact(sample));
        let done = GatewayOperation {
            status: GatewayOperationStatus::Successful,
            http_status_code: Some("OK".into()),
            operation_completed_time: Some("2015-04-11T23:45:27.7007465".into()),
            ..op
        };
        let xml = done.to_xml();
        assert!(xml.contains("<Data /><HttpStatusCode>OK</HttpStatusCode><ID>"));
        assert!(xml.contains("</ID><OperationCompletedTime>"));
        assert!(xml.contains("<Status>Successful</Status>"));
        assert_eq!(GatewayOperation::from_xml(&xml), Ok(done));
    }

    #[test]
    fn async_response_and_error() {
        let sample = r#"<GatewayOperationAsyncResponse xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ID>578966c5-60fc-b489-8ea4-0ed99540bc8f</ID></GatewayOperationAsyncResponse>"#;
        let r = GatewayOperationAsyncResponse {
            id: "578966c5-60fc-b489-8ea4-0ed99540bc8f".into(),
        };
        assert_round_trip(sample, &r);
        assert_eq!(r.to_xml(), sample);
        let err = r#"<Error xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Message>gone</Message><Code>ResourceNotFound</Code></Error>"#;
        assert_round_trip(
            err,
            &ServiceError {
                code: "ResourceNotFound".into(),
                message: "gone".into(),
            },
        );
    }

    #[test]
    fn rejects_unknown_status_and_wrong_root() {
        assert!(matches!(
            Operation::from_xml("<Operation><ID>x</ID><Status>Successful</Status></Operation>"),
            Err(XmlError::InvalidValue { .. })
        ));
        assert!(matches!(
            GatewayOperation::from_xml("<Operation><ID>x</ID></Operation>"),
            Err(XmlError::UnexpectedRoot { .. })
        ));
    }
}
