//! A lossless XML element tree on quick-xml.
//!
//! Qualified names are kept exactly as written (prefix included) and `xmlns` declarations stay ordinary
//! attributes in their original order, so a document that is parsed, edited in one place and written back
//! keeps every namespace, prefix, `i:nil`, unknown element and unknown attribute it had. Typed views
//! (`netcfg`, `messages`) read and edit this tree; they never rebuild a document from scratch.

use super::error::XmlError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use std::fmt::Write as _;

/// Deepest element nesting accepted: the classic documents nest about eight levels; anything far deeper is
/// hostile input and must not exhaust the stack of the recursive writer and readers.
pub const MAX_DEPTH: usize = 64;

/// Most attributes accepted on one element: the classic documents use at most four. quick-xml's
/// duplicate-attribute check is quadratic in their number (100 000 attributes took minutes), so a
/// bound keeps a hostile request body from holding a core.
pub const MAX_ATTRIBUTES: usize = 64;

/// The XML Schema instance namespace (`i:nil`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Qualified name as written, e.g. `name`, `xmlns:i`, `i:nil`.
    pub name: String,
    /// Unescaped value.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    /// Unescaped character data (CDATA sections are folded in: same meaning).
    Text(String),
    Comment(String),
    /// A processing instruction inside the root, raw content between `<?` and `?>`.
    ProcessingInstruction(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Qualified name as written, e.g. `VirtualNetworkSite` or `a:string`.
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

/// A whole document: the root element plus what surrounds it (declaration, comments, PIs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Raw markup before the root (XML declaration, comments, processing instructions), in order.
    pub prolog: Vec<String>,
    pub root: Element,
}

/// The local part of a qualified name (`a:string` -> `string`).
pub fn local_name(qualified: &str) -> &str {
    qualified
        .rsplit_once(':')
        .map_or(qualified, |(_, local)| local)
}

/// The prefix of a qualified name (`a:string` -> `Some("a")`).
pub fn prefix(qualified: &str) -> Option<&str> {
    qualified.split_once(':').map(|(p, _)| p)
}

impl Element {
    pub fn new(name: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// A new element in the same namespace prefix as `self` (so a child added to `nc:Site` is `nc:Child`).
    pub fn new_sibling_named(&self, local: &str) -> Element {
        match prefix(&self.name) {
            Some(p) => Element::new(format!("{p}:{local}")),
            None => Element::new(local),
        }
    }

    pub fn local_name(&self) -> &str {
        local_name(&self.name)
    }

    pub fn with_attr(mut self, name: &str, value: &str) -> Self {
        self.set_attr(name, value);
        self
    }

    pub fn with_text(mut self, text: &str) -> Self {
        self.set_text(text);
        self
    }

    pub fn with_child(mut self, child: Element) -> Self {
        self.children.push(Node::Element(child));
        self
    }

    /// The value of an attribute by its qualified name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// Sets an attribute, keeping its position when it already exists.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|a| a.name == name) {
            Some(a) => a.value = value.to_string(),
            None => self.attributes.push(Attribute {
                name: name.to_string(),
                value: value.to_string(),
            }),
        }
    }

    pub fn remove_attr(&mut self, name: &str) {
        self.attributes.retain(|a| a.name != name);
    }

    /// True when the element carries `nil="true"` in the XML Schema instance namespace, whatever its prefix.
    pub fn is_nil(&self) -> bool {
        self.attributes.iter().any(|a| {
            local_name(&a.name) == "nil"
                && a.value.trim() == "true"
                && prefix(&a.name).is_some_and(|p| self.prefix_bound_to_xsi(p))
        })
    }

    /// `i:nil` is recognised by the conventional prefix even when the declaration sits on an ancestor we
    /// no longer see; a local declaration to another namespace overrides that.
    fn prefix_bound_to_xsi(&self, p: &str) -> bool {
        match self.attr(&format!("xmlns:{p}")) {
            Some(ns) => ns == XSI_NS,
            None => matches!(p, "i" | "xsi"),
        }
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.local_name() == local)
    }

    pub fn child_mut(&mut self, local: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.local_name() == local)
    }

    /// All child elements with this local name.
    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.local_name() == local)
    }

    /// The concatenated text content of this element (direct text children only).
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Replaces all children with one text node.
    pub fn set_text(&mut self, text: &str) {
        self.children = vec![Node::Text(text.to_string())];
    }

    /// Removes the child elements with this local name; returns how many were removed.
    pub fn remove_children(&mut self, local: &str) -> usize {
        self.remove_elements(|e| e.local_name() == local)
    }

    /// Removes the child elements matching `pred`; returns how many were removed.
    pub fn remove_elements(&mut self, pred: impl Fn(&Element) -> bool) -> usize {
        let before = self.children.len();
        self.children
            .retain(|n| !matches!(n, Node::Element(e) if pred(e)));
        let removed = before - self.children.len();
        self.merge_adjacent_text();
        removed
    }

    /// Joins text nodes left adjacent by a removal, so the tree equals what re-parsing its output gives.
    fn merge_adjacent_text(&mut self) {
        let mut merged: Vec<Node> = Vec::with_capacity(self.children.len());
        for node in std::mem::take(&mut self.children) {
            match (merged.last_mut(), node) {
                (Some(Node::Text(prev)), Node::Text(t)) => prev.push_str(&t),
                (_, node) => merged.push(node),
            }
        }
        self.children = merged;
    }

    /// Inserts `child` where a schema with child order `order` (local names) puts it: before the first
    /// existing child that the schema places later, else at the end. Unknown children count as "later"
    /// only if they come after a known later one, so their relative position is untouched.
    pub fn insert_ordered(&mut self, child: Element, order: &[&str]) {
        let rank = |name: &str| order.iter().position(|o| *o == name);
        let Some(new_rank) = rank(child.local_name()) else {
            self.children.push(Node::Element(child));
            return;
        };
        let at = self.children.iter().position(|n| match n {
            Node::Element(e) => rank(e.local_name()).is_some_and(|r| r > new_rank),
            _ => false,
        });
        match at {
            Some(i) => self.children.insert(i, Node::Element(child)),
            None => {
                // Keep trailing whitespace (the closing tag's indentation) after the new element.
                let i = self
                    .children
                    .iter()
                    .rposition(|n| !matches!(n, Node::Text(t) if t.trim().is_empty()))
                    .map_or(0, |i| i + 1);
                self.children.insert(i, Node::Element(child));
            }
        }
    }

    /// Removes comments at every depth (the service strips them on read-back).
    pub fn strip_comments(&mut self) {
        self.children.retain(|n| !matches!(n, Node::Comment(_)));
        self.merge_adjacent_text();
        for e in self.elements_mut() {
            e.strip_comments();
        }
    }

    /// Writes this element as XML (no declaration).
    pub fn write_to(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for a in &self.attributes {
            let _ = write!(out, " {}=\"", a.name);
            escape_into(out, &a.value, true);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        for n in &self.children {
            match n {
                Node::Element(e) => e.write_to(out),
                Node::Text(t) => escape_into(out, t, false),
                Node::Comment(c) => {
                    let _ = write!(out, "<!--{c}-->");
                }
                Node::ProcessingInstruction(p) => {
                    let _ = write!(out, "<?{p}?>");
                }
            }
        }
        let _ = write!(out, "</{}>", self.name);
    }

    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }
}

fn escape_into(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Attribute-value normalisation would turn these into spaces on re-read: keep them exact.
            '\n' if attribute => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

impl Document {
    pub fn new(root: Element) -> Self {
        Document {
            prolog: Vec::new(),
            root,
        }
    }

    /// Parses a whole document. Fails (never panics) on malformed XML, on more than one root, on text
    /// outside the root, and on nesting deeper than [`MAX_DEPTH`].
    pub fn parse(input: &str) -> Result<Document, XmlError> {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.check_comments = true;
        config.allow_unmatched_ends = false;

        let mut prolog = Vec::new();
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;

        loop {
            let pos = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| XmlError::Malformed(format!("at byte {pos}: {e}")))?;
            match event {
                Event::Start(start) => {
                    if root.is_some() {
                        return Err(XmlError::Malformed("more than one root element".into()));
                    }
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError::TooDeep(MAX_DEPTH));
                    }
                    stack.push(element_from_start(&start)?);
                }
                Event::Empty(start) => {
                    if stack.is_empty() && root.is_some() {
                        return Err(XmlError::Malformed("more than one root element".into()));
                    }
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError::TooDeep(MAX_DEPTH));
                    }
                    let element = element_from_start(&start)?;
                    attach(&mut stack, &mut root, element);
                }
                Event::End(_) => {
                    // quick-xml has already checked that the end name matches.
                    let element = stack
                        .pop()
                        .ok_or_else(|| XmlError::Malformed("unexpected end tag".into()))?;
                    attach(&mut stack, &mut root, element);
                }
                Event::Text(text) => {
                    let t = text.xml10_content().map_err(malformed)?;
                    push_text(&mut stack, &t)?;
                }
                Event::CData(data) => {
                    let t = data.decode().map_err(malformed)?;
                    push_text(&mut stack, &t)?;
                }
                Event::GeneralRef(reference) => {
                    let t = resolve_reference(&reference)?;
                    push_text(&mut stack, &t)?;
                }
                Event::Comment(c) => {
                    let c = c.decode().map_err(malformed)?.into_owned();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::Comment(c)),
                        None if root.is_none() => prolog.push(format!("<!--{c}-->")),
                        None => {} // comments after the root carry no meaning
                    }
                }
                Event::Decl(decl) => {
                    if root.is_some() || !stack.is_empty() || !prolog.is_empty() {
                        return Err(XmlError::Malformed("misplaced XML declaration".into()));
                    }
                    let raw = String::from_utf8_lossy(&decl).into_owned();
                    prolog.push(format!("<?{raw}?>"));
                }
                Event::PI(pi) => {
                    let raw = String::from_utf8_lossy(&pi).into_owned();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Node::ProcessingInstruction(raw)),
                        None if root.is_none() => prolog.push(format!("<?{raw}?>")),
                        None => {}
                    }
                }
                Event::DocType(_) => {
                    // DTDs enable entity expansion attacks and the service never sends one.
                    return Err(XmlError::Malformed("DOCTYPE is not allowed".into()));
                }
                Event::Eof => break,
            }
        }
        if !stack.is_empty() {
            return Err(XmlError::Malformed("unexpected end of document".into()));
        }
        let root = root.ok_or_else(|| XmlError::Malformed("no root element".into()))?;
        Ok(Document { prolog, root })
    }

    /// Writes the document, prolog included.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        for p in &self.prolog {
            out.push_str(p);
            out.push('\n');
        }
        self.root.write_to(&mut out);
        out
    }
}

fn malformed(e: impl std::fmt::Display) -> XmlError {
    XmlError::Malformed(e.to_string())
}

fn element_from_start(start: &BytesStart<'_>) -> Result<Element, XmlError> {
    let name = std::str::from_utf8(start.name().as_ref())
        .map_err(malformed)?
        .to_string();
    let mut element = Element::new(name);
    for (i, attr) in start.attributes().with_checks(true).enumerate() {
        if i >= MAX_ATTRIBUTES {
            return Err(XmlError::TooManyAttributes(MAX_ATTRIBUTES));
        }
        let attr = attr.map_err(malformed)?;
        let name = std::str::from_utf8(attr.key.as_ref())
            .map_err(malformed)?
            .to_string();
        let value = attr.unescape_value().map_err(malformed)?.into_owned();
        element.attributes.push(Attribute { name, value });
    }
    Ok(element)
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            // Adjacent text pieces (split at entity references) form one node.
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_string()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(XmlError::Malformed("text outside the root element".into())),
    }
}

fn resolve_reference(reference: &BytesRef<'_>) -> Result<String, XmlError> {
    if let Some(c) = reference.resolve_char_ref().map_err(malformed)? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(malformed)?;
    let c = match name.as_ref() {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        other => return Err(XmlError::Malformed(format!("unknown entity &{other};"))),
    };
    Ok(c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_prefixes_nil_and_attribute_order() {
        let src = r#"<a:Root xmlns:a="urn:a" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" z="1" b="2"><a:X i:nil="true" /><Unknown q="&amp;&lt;">t &amp; u</Unknown><!-- c --></a:Root>"#;
        let doc = Document::parse(src).expect("parses");
        assert_eq!(doc.root.to_xml(), src);
        assert!(doc.root.child("X").expect("X").is_nil());
        assert_eq!(doc.root.child("Unknown").expect("U").text(), "t & u");
    }

    #[test]
    fn keeps_declaration_and_whitespace() {
        let src = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<R>\n  <A>1</A>\n</R>";
        let doc = Document::parse(src).expect("parses");
        assert_eq!(doc.to_xml(), src);
    }

    #[test]
    fn rejects_malformed_input_with_typed_errors() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "text",
            "<a x='1' x='2'/>",
            "<a>&bogus;</a>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
            "<Subnet><AddressPrefix>1</AddressPrefix>\n /Subnet>\n</Subnets>",
        ] {
            assert!(
                matches!(Document::parse(bad), Err(XmlError::Malformed(_))),
                "accepted {bad:?}"
            );
        }
    }

    #[test]
    fn bounds_depth() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(Document::parse(&deep), Err(XmlError::TooDeep(_))));
        let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(Document::parse(&ok).is_ok());
    }

    #[test]
    fn bounds_attributes_in_linear_time() {
        // Found by tests/fuzz_xml.rs: 100 000 attributes took minutes in the duplicate check.
        let many: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let start = std::time::Instant::now();
        assert_eq!(
            Document::parse(&format!("<a{many}/>")),
            Err(XmlError::TooManyAttributes(MAX_ATTRIBUTES))
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        let ok: String = (0..MAX_ATTRIBUTES)
            .map(|i| format!(" a{i}=\"v\""))
            .collect();
        assert!(Document::parse(&format!("<a{ok}/>")).is_ok());
    }

    #[test]
    fn insert_ordered_respects_schema_order() {
        let mut e = Document::parse("<S><A/><C/><U/></S>").expect("parses").root;
        e.insert_ordered(Element::new("B"), &["A", "B", "C"]);
        e.insert_ordered(Element::new("D"), &["A", "B", "C", "D"]);
        assert_eq!(e.to_xml(), "<S><A /><B /><C /><U /><D /></S>");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_input(s in "\\PC{0,200}") {
            let _ = Document::parse(&s);
        }

        #[test]
        fn text_and_attribute_values_round_trip(t in "\\PC{0,40}", v in "\\PC{0,40}") {
            let e = Element::new("E").with_attr("v", &v).with_text(&t);
            let back = Document::parse(&e.to_xml()).expect("own output parses").root;
            proptest::prop_assert_eq!(back.attr("v"), Some(v.as_str()));
            proptest::prop_assert_eq!(back.text(), t);
        }
    }
}
