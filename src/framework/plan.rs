//! The generic part of planning and the consistency checks Terraform applies to plans and results,
//! on plain values and a block schema (no resource code, no protocol).

use std::collections::BTreeMap;

use super::path::AttrPath;
use super::schema::{Block, Mode, NestedBlock, Nesting};
use super::value::Value;

/// Turns Terraform's proposed new state into the generic plan, as terraform-plugin-framework does:
/// defaults fill attributes the configuration leaves null; then, if the object is created or
/// changes, computed attributes the configuration leaves null become unknown (the provider fills them
/// at apply), except those declared `use_state_for_unknown`, which keep their prior value.
/// No change means no unknowns, so an unchanged resource plans no diff.
pub fn plan_values(block: &Block, prior: &Value, proposed: Value, config: &Value) -> Value {
    let planned = apply_defaults(block, proposed, config);
    if !prior.is_null() && planned == *prior {
        return planned;
    }
    mark_computed_unknown(block, planned, config, prior)
}

fn apply_defaults(block: &Block, planned: Value, config: &Value) -> Value {
    map_object(planned, |mut attrs| {
        for a in &block.attributes {
            if let Some(default) = &a.default {
                if config.attr(&a.name).is_null() {
                    attrs.insert(a.name.clone(), default.clone());
                }
            }
        }
        for nested in &block.blocks {
            let config = config.attr(&nested.name);
            update_blocks(&mut attrs, nested, |element, i| {
                apply_defaults(&nested.block, element, nested_element(nested, config, i))
            });
        }
        attrs
    })
}

fn mark_computed_unknown(block: &Block, planned: Value, config: &Value, prior: &Value) -> Value {
    map_object(planned, |mut attrs| {
        for a in block
            .attributes
            .iter()
            .filter(|a| a.is_computed() && a.default.is_none())
        {
            if !config.attr(&a.name).is_null() {
                continue;
            }
            let prior_value = prior.attr(&a.name);
            let keep = a.use_state_for_unknown && !prior_value.is_null();
            attrs.insert(
                a.name.clone(),
                if keep {
                    prior_value.clone()
                } else {
                    Value::Unknown
                },
            );
        }
        for nested in &block.blocks {
            let config = config.attr(&nested.name);
            let prior = prior.attr(&nested.name);
            update_blocks(&mut attrs, nested, |element, i| {
                let prior_element = match nested.nesting {
                    // Set elements have no identity to pair them with their prior selves.
                    Nesting::Set => &Value::Null,
                    _ => nested_element(nested, prior, i),
                };
                mark_computed_unknown(
                    &nested.block,
                    element,
                    nested_element(nested, config, i),
                    prior_element,
                )
            });
        }
        attrs
    })
}

/// The attributes declared `requires_replace` whose planned value differs from the prior state.
/// A computed one that is unknown only because the plan marked it so does not count.
pub fn requires_replace(
    block: &Block,
    planned: &Value,
    prior: &Value,
    config: &Value,
) -> Vec<AttrPath> {
    let mut paths = Vec::new();
    collect_replace(block, planned, prior, config, &AttrPath::root(), &mut paths);
    paths
}

fn collect_replace(
    block: &Block,
    planned: &Value,
    prior: &Value,
    config: &Value,
    path: &AttrPath,
    out: &mut Vec<AttrPath>,
) {
    if prior.is_null() || planned.is_null() {
        return;
    }
    for a in block.attributes.iter().filter(|a| a.requires_replace) {
        let (p, s) = (planned.attr(&a.name), prior.attr(&a.name));
        let marked_by_plan = p.is_unknown() && config.attr(&a.name).is_null();
        if p != s && !marked_by_plan {
            out.push(path.join_attr(&a.name));
        }
    }
    for nested in &block.blocks {
        let at = path.join_attr(&nested.name);
        let (p, s, c) = (
            planned.attr(&nested.name),
            prior.attr(&nested.name),
            config.attr(&nested.name),
        );
        match nested.nesting {
            Nesting::Single => collect_replace(&nested.block, p, s, c, &at, out),
            Nesting::List => {
                for (i, (pe, se)) in p.elements().iter().zip(s.elements()).enumerate() {
                    let ce = c.elements().get(i).unwrap_or(&Value::Null);
                    collect_replace(&nested.block, pe, se, ce, &at.join_index(i), out);
                }
            }
            Nesting::Set => {
                if p != s && contains_replace_attribute(&nested.block) {
                    out.push(at);
                }
            }
        }
    }
}

fn contains_replace_attribute(block: &Block) -> bool {
    block.attributes.iter().any(|a| a.requires_replace)
        || block
            .blocks
            .iter()
            .any(|b| contains_replace_attribute(&b.block))
}

/// Paths of attributes only the user sets (not computed) whose planned value differs from the
/// configuration: Terraform rejects such a plan as invalid.
pub fn config_mismatches(block: &Block, planned: &Value, config: &Value) -> Vec<AttrPath> {
    let mut paths = Vec::new();
    collect_config_mismatches(block, planned, config, &AttrPath::root(), &mut paths);
    paths
}

fn collect_config_mismatches(
    block: &Block,
    planned: &Value,
    config: &Value,
    path: &AttrPath,
    out: &mut Vec<AttrPath>,
) {
    if planned.is_null() || config.is_null() {
        if planned.is_null() != config.is_null() {
            out.push(path.clone());
        }
        return;
    }
    for a in block
        .attributes
        .iter()
        .filter(|a| matches!(a.mode, Mode::Required | Mode::Optional))
    {
        if planned.attr(&a.name) != config.attr(&a.name) {
            out.push(path.join_attr(&a.name));
        }
    }
    for nested in &block.blocks {
        let at = path.join_attr(&nested.name);
        let (p, c) = (planned.attr(&nested.name), config.attr(&nested.name));
        match nested.nesting {
            Nesting::Single => collect_config_mismatches(&nested.block, p, c, &at, out),
            Nesting::List | Nesting::Set if p.is_unknown() || c.is_unknown() => {
                if p.is_unknown() != c.is_unknown() {
                    out.push(at);
                }
            }
            Nesting::List => {
                if p.elements().len() != c.elements().len() {
                    out.push(at);
                    continue;
                }
                for (i, (pe, ce)) in p.elements().iter().zip(c.elements()).enumerate() {
                    collect_config_mismatches(&nested.block, pe, ce, &at.join_index(i), out);
                }
            }
            // Set elements can't be paired; their count at least must match.
            Nesting::Set => {
                if p.elements().len() != c.elements().len() {
                    out.push(at);
                }
            }
        }
    }
}

/// Paths where a result differs from a known planned value. Unknown planned values accept anything
/// (the result's own unknowns are checked separately); set elements can't be paired, so a partly
/// unknown set is accepted as a whole.
pub fn apply_mismatches(planned: &Value, actual: &Value) -> Vec<AttrPath> {
    let mut paths = Vec::new();
    collect_apply_mismatches(planned, actual, &AttrPath::root(), &mut paths);
    paths
}

fn collect_apply_mismatches(
    planned: &Value,
    actual: &Value,
    path: &AttrPath,
    out: &mut Vec<AttrPath>,
) {
    if planned.is_unknown() {
        return;
    }
    if planned.is_wholly_known() {
        if planned != actual {
            out.push(path.clone());
        }
        return;
    }
    match (planned, actual) {
        (Value::Object(p), Value::Object(a)) => {
            for (k, pv) in p {
                collect_apply_mismatches(
                    pv,
                    a.get(k).unwrap_or(&Value::Null),
                    &path.join_attr(k),
                    out,
                );
            }
        }
        (Value::Map(p), Value::Map(a)) if p.len() == a.len() => {
            for (k, pv) in p {
                match a.get(k) {
                    Some(av) => collect_apply_mismatches(pv, av, &path.join_key(k), out),
                    None => out.push(path.join_key(k)),
                }
            }
        }
        (Value::List(p), Value::List(a)) if p.len() == a.len() => {
            for (i, (pv, av)) in p.iter().zip(a).enumerate() {
                collect_apply_mismatches(pv, av, &path.join_index(i), out);
            }
        }
        (Value::Set(_), Value::Set(_)) => {}
        _ => out.push(path.clone()),
    }
}

/// Terraform never has a null list or set of blocks, only an empty one: fill those in (a state
/// decoded from JSON with a block missing, or a model that left a block list out, would else be
/// refused).
pub fn normalize_blocks(block: &Block, value: Value) -> Value {
    map_object(value, |mut attrs| {
        for nested in &block.blocks {
            if nested.nesting != Nesting::Single
                && attrs.get(&nested.name).is_none_or(Value::is_null)
            {
                let empty = if nested.nesting == Nesting::Set {
                    Value::Set(vec![])
                } else {
                    Value::List(vec![])
                };
                attrs.insert(nested.name.clone(), empty);
            }
            update_blocks(&mut attrs, nested, |element, _| {
                normalize_blocks(&nested.block, element)
            });
        }
        attrs
    })
}

fn map_object(
    value: Value,
    f: impl FnOnce(BTreeMap<String, Value>) -> BTreeMap<String, Value>,
) -> Value {
    match value {
        Value::Object(attrs) => Value::Object(f(attrs)),
        other => other,
    }
}

/// Applies `f` to each element of a nested block value (the object of a single block, or each
/// element of a list or set), with the element's index.
fn update_blocks(
    attrs: &mut BTreeMap<String, Value>,
    nested: &NestedBlock,
    f: impl Fn(Value, usize) -> Value,
) {
    let Some(value) = attrs.remove(&nested.name) else {
        return;
    };
    let updated = match (nested.nesting, value) {
        (Nesting::Single, v) => f(v, 0),
        (_, Value::List(items)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, e)| f(e, i))
                .collect(),
        ),
        (_, Value::Set(items)) => Value::Set(
            items
                .into_iter()
                .enumerate()
                .map(|(i, e)| f(e, i))
                .collect(),
        ),
        (_, other) => other,
    };
    attrs.insert(nested.name.clone(), updated);
}

/// The element of another value of the same block that pairs with element `i`.
fn nested_element<'a>(nested: &NestedBlock, value: &'a Value, i: usize) -> &'a Value {
    match nested.nesting {
        Nesting::Single => value,
        Nesting::List | Nesting::Set => value.elements().get(i).unwrap_or(&Value::Null),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::framework::schema::{Attribute, NestedBlock};
    use crate::framework::types::Type;

    /// A resource block exercising every plan behaviour; the dispatch tests use it too.
    pub(crate) fn block() -> Block {
        Block::new("r")
            .attribute(
                Attribute::required("name", Type::String)
                    .description("d")
                    .requires_replace(),
            )
            .attribute(Attribute::required("size", Type::String).description("d"))
            .attribute(
                Attribute::computed("id", Type::String)
                    .description("d")
                    .use_state_for_unknown(),
            )
            .attribute(Attribute::computed("state", Type::String).description("d"))
            .attribute(
                Attribute::optional_computed("kind", Type::String)
                    .description("d")
                    .default(Value::string("Dynamic"))
                    .requires_replace(),
            )
            .block(NestedBlock::list(
                "subnet",
                Block::new("s")
                    .attribute(
                        Attribute::required("prefix", Type::String)
                            .description("d")
                            .requires_replace(),
                    )
                    .attribute(Attribute::computed("sid", Type::String).description("d")),
            ))
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    fn subnet(prefix: &str, sid: Value) -> Value {
        Value::object([("prefix", s(prefix)), ("sid", sid)])
    }

    fn config(name: &str, size: &str) -> Value {
        Value::object([
            ("name", s(name)),
            ("size", s(size)),
            ("id", Value::Null),
            ("state", Value::Null),
            ("kind", Value::Null),
            (
                "subnet",
                Value::List(vec![subnet("10.0.0.0/24", Value::Null)]),
            ),
        ])
    }

    fn prior() -> Value {
        Value::object([
            ("name", s("a")),
            ("size", s("S")),
            ("id", s("id-1")),
            ("state", s("Provisioned")),
            ("kind", s("Dynamic")),
            (
                "subnet",
                Value::List(vec![subnet("10.0.0.0/24", s("sid-1"))]),
            ),
        ])
    }

    /// What Terraform proposes: config, with computed attributes the config leaves null taken from prior.
    fn proposed(config: &Value, prior: &Value) -> Value {
        let (Value::Object(mut p), false) = (config.clone(), prior.is_null()) else {
            return config.clone();
        };
        for k in ["id", "state", "kind"] {
            p.insert(k.into(), prior.attr(k).clone());
        }
        let subnets = config
            .attr("subnet")
            .elements()
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let prior_sid = prior
                    .attr("subnet")
                    .elements()
                    .get(i)
                    .map_or(Value::Null, |pe| pe.attr("sid").clone());
                Value::object([("prefix", e.attr("prefix").clone()), ("sid", prior_sid)])
            });
        p.insert("subnet".into(), Value::List(subnets.collect()));
        Value::Object(p)
    }

    #[test]
    fn create_marks_computed_unknown_and_applies_defaults() {
        let c = config("a", "S");
        let planned = plan_values(&block(), &Value::Null, c.clone(), &c);
        assert_eq!(planned.attr("id"), &Value::Unknown);
        assert_eq!(planned.attr("state"), &Value::Unknown);
        assert_eq!(planned.attr("kind"), &s("Dynamic"));
        assert_eq!(
            planned.attr("subnet").elements()[0].attr("sid"),
            &Value::Unknown
        );
        assert!(requires_replace(&block(), &planned, &Value::Null, &c).is_empty());
        assert!(config_mismatches(&block(), &planned, &c).is_empty());
    }

    #[test]
    fn no_change_plans_no_unknowns() {
        let c = config("a", "S");
        let planned = plan_values(&block(), &prior(), proposed(&c, &prior()), &c);
        assert_eq!(planned, prior());
    }

    #[test]
    fn update_keeps_state_for_unknown_and_marks_the_rest() {
        let c = config("a", "L");
        let planned = plan_values(&block(), &prior(), proposed(&c, &prior()), &c);
        assert_eq!(planned.attr("id"), &s("id-1"));
        assert_eq!(planned.attr("state"), &Value::Unknown);
        assert_eq!(planned.attr("kind"), &s("Dynamic"));
        assert!(requires_replace(&block(), &planned, &prior(), &c).is_empty());
    }

    #[test]
    fn replace_paths_name_the_changed_attributes() {
        let mut c = config("b", "S");
        if let Value::Object(m) = &mut c {
            m.insert(
                "subnet".into(),
                Value::List(vec![subnet("10.0.1.0/24", Value::Null)]),
            );
        }
        let planned = plan_values(&block(), &prior(), proposed(&c, &prior()), &c);
        let paths = requires_replace(&block(), &planned, &prior(), &c);
        assert_eq!(
            paths,
            vec![
                AttrPath::attr("name"),
                AttrPath::attr("subnet").join_index(0).join_attr("prefix")
            ]
        );
    }

    #[test]
    fn apply_mismatches_only_where_plan_was_known() {
        let mut planned = prior();
        if let Value::Object(m) = &mut planned {
            m.insert("state".into(), Value::Unknown);
        }
        let mut actual = prior();
        if let Value::Object(m) = &mut actual {
            m.insert("state".into(), s("Updating"));
        }
        assert!(apply_mismatches(&planned, &actual).is_empty());
        if let Value::Object(m) = &mut actual {
            m.insert("size".into(), s("XL"));
        }
        assert_eq!(
            apply_mismatches(&planned, &actual),
            vec![AttrPath::attr("size")]
        );
    }

    #[test]
    fn null_block_lists_become_empty() {
        let v = Value::object([("name", s("a")), ("subnet", Value::Null)]);
        assert_eq!(
            normalize_blocks(&block(), v).attr("subnet"),
            &Value::List(vec![])
        );
    }
}
