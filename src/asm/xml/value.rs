//! Reading typed values out of elements: required and optional (`i:nil`-aware) children, enums.

use super::error::XmlError;
use super::tree::Element;

/// Declares a string enum of the wire protocol with exact wire spellings, `FromStr` (unknown spellings are
/// [`XmlError::InvalidValue`]) and `as_str`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::asm::xml::XmlError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($wire => Ok($name::$variant),)+
                    other => Err($crate::asm::xml::XmlError::InvalidValue {
                        element: stringify!($name).to_string(),
                        value: other.to_string(),
                    }),
                }
            }
        }
    };
}
pub(crate) use wire_enum;

/// The trimmed text of child `local`, or `None` when absent or `i:nil`.
pub fn opt_text(parent: &Element, local: &str) -> Option<String> {
    parent
        .child(local)
        .filter(|e| !e.is_nil())
        .map(|e| e.text().trim().to_string())
}

/// The trimmed text of a required child.
pub fn req_text(parent: &Element, local: &str) -> Result<String, XmlError> {
    opt_text(parent, local).ok_or_else(|| XmlError::Missing(local.to_string()))
}

/// Parses an optional child with `FromStr`; an unparsable value is an error, not `None`.
pub fn opt_parse<T>(parent: &Element, local: &str) -> Result<Option<T>, XmlError>
where
    T: std::str::FromStr,
{
    opt_text(parent, local)
        .map(|v| {
            v.parse::<T>().map_err(|_| XmlError::InvalidValue {
                element: local.to_string(),
                value: v.clone(),
            })
        })
        .transpose()
}

pub fn req_parse<T>(parent: &Element, local: &str) -> Result<T, XmlError>
where
    T: std::str::FromStr,
{
    opt_parse(parent, local)?.ok_or_else(|| XmlError::Missing(local.to_string()))
}

/// The texts of the `item` children of child `container` (empty when absent or nil).
pub fn text_list(parent: &Element, container: &str, item: &str) -> Vec<String> {
    parent
        .child(container)
        .filter(|c| !c.is_nil())
        .map(|c| {
            c.children_named(item)
                .map(|e| e.text().trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A required attribute.
pub fn req_attr(element: &Element, name: &str) -> Result<String, XmlError> {
    element
        .attr(name)
        .map(str::to_string)
        .ok_or_else(|| XmlError::Missing(format!("{} @{name}", element.local_name())))
}

/// Checks the root element's local name.
pub fn expect_root(root: &Element, expected: &str) -> Result<(), XmlError> {
    if root.local_name() == expected {
        Ok(())
    } else {
        Err(XmlError::UnexpectedRoot {
            expected: expected.to_string(),
            found: root.local_name().to_string(),
        })
    }
}
