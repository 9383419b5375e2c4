//! Schemas: the attributes and nested blocks of the provider, of each resource and data source, with
//! the plan behaviour declared next to each attribute (requires replace, use state for unknown, default).

use std::collections::{BTreeMap, BTreeSet};

use super::types::Type;
use super::value::Value;
use crate::proto::tfplugin5 as pb;

#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Bumped when the stored state's shape changes; older states go through `upgrade_state`.
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    /// Markdown; becomes the documentation.
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
}

/// Who sets an attribute: exactly one of these, as Terraform requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    /// Set by the provider only.
    Computed,
    /// Set by the user, or by the provider when the user leaves it out.
    OptionalComputed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub mode: Mode,
    pub sensitive: bool,
    /// A change of this attribute destroys and re-creates the object.
    pub requires_replace: bool,
    /// A computed attribute that keeps its prior value in plans instead of becoming unknown.
    pub use_state_for_unknown: bool,
    /// Planned when the configuration leaves the attribute null (needs `Mode::OptionalComputed`).
    pub default: Option<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// One optional block: an object or null.
    Single,
    /// An ordered list of blocks.
    List,
    /// An unordered set of blocks.
    Set,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub name: String,
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    /// 0 = unlimited.
    pub max_items: i64,
}

impl Schema {
    pub fn new(block: Block) -> Schema {
        Schema { version: 0, block }
    }

    pub fn version(mut self, version: i64) -> Schema {
        self.version = version;
        self
    }

    /// Everything wrong with this schema by Terraform's rules (which Terraform itself does not check:
    /// a mistake there is undefined behaviour at run time). Empty when the schema is sound.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        self.block.collect_problems("", &mut problems);
        problems
    }
}

impl Block {
    pub fn new(description: impl Into<String>) -> Block {
        Block {
            description: description.into(),
            ..Block::default()
        }
    }

    pub fn attribute(mut self, attribute: Attribute) -> Block {
        self.attributes.push(attribute);
        self
    }

    pub fn block(mut self, block: NestedBlock) -> Block {
        self.blocks.push(block);
        self
    }

    /// The object type of this block's values: one key per attribute and nested block.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect();
        for nested in &self.blocks {
            let object = nested.block.implied_type();
            let ty = match nested.nesting {
                Nesting::Single => object,
                Nesting::List => Type::list(object),
                Nesting::Set => Type::set(object),
            };
            attrs.insert(nested.name.clone(), ty);
        }
        Type::Object(attrs)
    }

    pub fn find_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    fn collect_problems(&self, prefix: &str, problems: &mut Vec<String>) {
        let mut seen = BTreeSet::new();
        let names = self
            .attributes
            .iter()
            .map(|a| &a.name)
            .chain(self.blocks.iter().map(|b| &b.name));
        for name in names {
            if !valid_name(name) {
                problems.push(format!("{prefix}{name}: name must match ^[a-z0-9_]+$"));
            }
            if !seen.insert(name) {
                problems.push(format!("{prefix}{name}: declared twice"));
            }
        }
        for a in &self.attributes {
            let at = format!("{prefix}{}", a.name);
            if a.description.trim().is_empty() {
                problems.push(format!("{at}: no description"));
            }
            if a.default.is_some() && a.mode != Mode::OptionalComputed {
                problems.push(format!(
                    "{at}: a default needs an optional and computed attribute"
                ));
            }
            if let Some(default) = &a.default {
                if default.clone().conform(&a.ty).is_err()
                    || !default.is_wholly_known()
                    || default.is_null()
                {
                    problems.push(format!(
                        "{at}: default is not a known value of type {}",
                        a.ty
                    ));
                }
            }
            if a.use_state_for_unknown && !matches!(a.mode, Mode::Computed | Mode::OptionalComputed)
            {
                problems.push(format!(
                    "{at}: use_state_for_unknown needs a computed attribute"
                ));
            }
            if a.requires_replace && a.mode == Mode::Computed {
                problems.push(format!(
                    "{at}: only attributes the user sets can require replacement"
                ));
            }
        }
        for b in &self.blocks {
            let at = format!("{prefix}{}", b.name);
            let counts_ok = match b.nesting {
                Nesting::Single => b.min_items == 0 && b.max_items == 0,
                Nesting::List | Nesting::Set => {
                    b.min_items >= 0 && (b.max_items == 0 || b.min_items <= b.max_items)
                }
            };
            if !counts_ok {
                problems.push(format!("{at}: invalid min_items / max_items"));
            }
            if b.block.description.trim().is_empty() {
                problems.push(format!("{at}: no description"));
            }
            b.block.collect_problems(&format!("{at}."), problems);
        }
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

impl Attribute {
    fn new(name: &str, ty: Type, mode: Mode) -> Attribute {
        Attribute {
            name: name.to_string(),
            ty,
            description: String::new(),
            mode,
            sensitive: false,
            requires_replace: false,
            use_state_for_unknown: false,
            default: None,
        }
    }

    pub fn required(name: &str, ty: Type) -> Attribute {
        Attribute::new(name, ty, Mode::Required)
    }

    pub fn optional(name: &str, ty: Type) -> Attribute {
        Attribute::new(name, ty, Mode::Optional)
    }

    pub fn computed(name: &str, ty: Type) -> Attribute {
        Attribute::new(name, ty, Mode::Computed)
    }

    pub fn optional_computed(name: &str, ty: Type) -> Attribute {
        Attribute::new(name, ty, Mode::OptionalComputed)
    }

    pub fn description(mut self, markdown: impl Into<String>) -> Attribute {
        self.description = markdown.into();
        self
    }

    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
        self
    }

    pub fn use_state_for_unknown(mut self) -> Attribute {
        self.use_state_for_unknown = true;
        self
    }

    pub fn default(mut self, value: Value) -> Attribute {
        self.default = Some(value);
        self
    }

    pub fn is_computed(&self) -> bool {
        matches!(self.mode, Mode::Computed | Mode::OptionalComputed)
    }
}

impl NestedBlock {
    fn new(name: &str, nesting: Nesting, block: Block) -> NestedBlock {
        NestedBlock {
            name: name.to_string(),
            nesting,
            block,
            min_items: 0,
            max_items: 0,
        }
    }

    pub fn single(name: &str, block: Block) -> NestedBlock {
        NestedBlock::new(name, Nesting::Single, block)
    }

    pub fn list(name: &str, block: Block) -> NestedBlock {
        NestedBlock::new(name, Nesting::List, block)
    }

    pub fn set(name: &str, block: Block) -> NestedBlock {
        NestedBlock::new(name, Nesting::Set, block)
    }

    pub fn min_items(mut self, n: i64) -> NestedBlock {
        self.min_items = n;
        self
    }

    pub fn max_items(mut self, n: i64) -> NestedBlock {
        self.max_items = n;
        self
    }
}

// ---------------------------------------------------------------- protocol conversion

impl From<&Schema> for pb::Schema {
    fn from(schema: &Schema) -> pb::Schema {
        pb::Schema {
            version: schema.version,
            block: Some(block_to_proto(&schema.block, schema.version)),
        }
    }
}

fn block_to_proto(block: &Block, version: i64) -> pb::schema::Block {
    let markdown = pb::StringKind::Markdown as i32;
    pb::schema::Block {
        version,
        attributes: block
            .attributes
            .iter()
            .map(|a| pb::schema::Attribute {
                name: a.name.clone(),
                r#type: a.ty.to_json().to_string().into_bytes(),
                description: a.description.clone(),
                required: a.mode == Mode::Required,
                optional: matches!(a.mode, Mode::Optional | Mode::OptionalComputed),
                computed: a.is_computed(),
                sensitive: a.sensitive,
                description_kind: markdown,
                deprecated: false,
            })
            .collect(),
        block_types: block
            .blocks
            .iter()
            .map(|b| pb::schema::NestedBlock {
                type_name: b.name.clone(),
                block: Some(block_to_proto(&b.block, version)),
                nesting: match b.nesting {
                    Nesting::Single => pb::schema::nested_block::NestingMode::Single,
                    Nesting::List => pb::schema::nested_block::NestingMode::List,
                    Nesting::Set => pb::schema::nested_block::NestingMode::Set,
                } as i32,
                min_items: b.min_items,
                max_items: b.max_items,
            })
            .collect(),
        description: block.description.clone(),
        description_kind: markdown,
        deprecated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schema {
        Schema::new(
            Block::new("A thing.")
                .attribute(
                    Attribute::required("name", Type::String)
                        .description("Name.")
                        .requires_replace(),
                )
                .attribute(
                    Attribute::computed("id", Type::String)
                        .description("Id.")
                        .use_state_for_unknown(),
                )
                .block(
                    NestedBlock::list(
                        "subnet",
                        Block::new("A subnet.").attribute(
                            Attribute::required("address_prefix", Type::String)
                                .description("CIDR."),
                        ),
                    )
                    .min_items(1),
                ),
        )
    }

    #[test]
    fn implied_type_has_one_key_per_attribute_and_block() {
        let ty = sample().block.implied_type();
        assert_eq!(
            ty.to_json().to_string(),
            r#"["object",{"id":"string","name":"string","subnet":["list",["object",{"address_prefix":"string"}]]}]"#
        );
    }

    #[test]
    fn proto_flags_and_type_bytes() {
        let pb: pb::Schema = (&sample()).into();
        let block = pb.block.unwrap();
        let name = &block.attributes[0];
        assert!(name.required && !name.optional && !name.computed);
        assert_eq!(name.r#type, br#""string""#);
        assert_eq!(block.block_types[0].min_items, 1);
        assert_eq!(block.block_types[0].nesting, 2);
    }

    #[test]
    fn problems_are_found() {
        assert!(sample().problems().is_empty());
        let bad = Schema::new(
            Block::new("x")
                .attribute(Attribute::optional("Bad-Name", Type::String).description("d"))
                .attribute(
                    Attribute::optional("d", Type::String)
                        .description("d")
                        .default(Value::string("x")),
                )
                .attribute(Attribute::computed("c", Type::String))
                .block(NestedBlock::single("s", Block::new("s")).min_items(1)),
        );
        let problems = bad.problems();
        assert_eq!(problems.len(), 4, "{problems:?}");
    }
}
