//! Attribute paths: where in a resource's value something is, so Terraform can underline it.

use std::fmt;

/// One step into a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An attribute or nested block of an object.
    Attribute(String),
    /// A key of a map.
    Key(String),
    /// An index of a list (sets can't be indexed: point at the set itself).
    Index(i64),
}

/// A path from the root of a resource's value, e.g. `subnet[1].address_prefix`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrPath(Vec<PathStep>);

impl AttrPath {
    pub fn root() -> AttrPath {
        AttrPath(Vec::new())
    }

    /// The path of a top-level attribute or block.
    pub fn attr(name: impl Into<String>) -> AttrPath {
        AttrPath::root().join_attr(name)
    }

    pub fn join_attr(&self, name: impl Into<String>) -> AttrPath {
        self.join(PathStep::Attribute(name.into()))
    }

    pub fn join_index(&self, index: usize) -> AttrPath {
        // A list longer than i64::MAX can't exist in memory.
        self.join(PathStep::Index(i64::try_from(index).unwrap_or(i64::MAX)))
    }

    pub fn join_key(&self, key: impl Into<String>) -> AttrPath {
        self.join(PathStep::Key(key.into()))
    }

    pub fn join(&self, step: PathStep) -> AttrPath {
        let mut steps = self.0.clone();
        steps.push(step);
        AttrPath(steps)
    }

    pub fn steps(&self) -> &[PathStep] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, step) in self.0.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => f.write_str(name)?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_hcl() {
        let path = AttrPath::attr("subnet")
            .join_index(1)
            .join_attr("address_prefix");
        assert_eq!(path.to_string(), "subnet[1].address_prefix");
        assert_eq!(
            AttrPath::attr("tags").join_key("a").to_string(),
            "tags[\"a\"]"
        );
        assert_eq!(AttrPath::root().to_string(), "(root)");
    }
}
