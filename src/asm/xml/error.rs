//! Why an XML document or message could not be read.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum XmlError {
    /// Not well-formed XML (the service answers `InvalidXmlRequest`).
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// Nested deeper than the parser accepts.
    #[error("XML nested deeper than {0} levels")]
    TooDeep(usize),
    /// An element with more attributes than the parser accepts.
    #[error("XML element with more than {0} attributes")]
    TooManyAttributes(usize),
    /// Well-formed, but the root element is not the expected one.
    #[error("expected root element <{expected}>, found <{found}>")]
    UnexpectedRoot { expected: String, found: String },
    /// A required element or attribute is absent.
    #[error("missing required <{0}>")]
    Missing(String),
    /// A value does not parse as its type (the service answers `BadRequest`: could not be deserialized).
    #[error("invalid value for <{element}>: {value:?}")]
    InvalidValue { element: String, value: String },
}

impl XmlError {
    /// True when the input was not well-formed XML at all, as opposed to well-formed XML with the wrong
    /// content: the two map to different service errors.
    pub fn is_syntax(&self) -> bool {
        matches!(
            self,
            XmlError::Malformed(_) | XmlError::TooDeep(_) | XmlError::TooManyAttributes(_)
        )
    }
}
