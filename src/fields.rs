//! A flat, format-neutral list of what a payload contains, for display and JSON.
//!
//! Every reader can list its data objects as [`Field`]s: the path (`62.05`, `61.9F24`, `pa`),
//! the name the spec gives it, the value as text (binary values in upper-case hex), and the
//! character offset. Templates are listed too, with their raw content, before their children,
//! so nothing in the payload is lost.

use alloc::borrow::Cow;
use alloc::string::String;

/// One data object of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// Dotted path from the root: `59`, `62.05`, `61.9F24`, `pa`.
    pub path: String,
    /// The name the specification gives it (empty when it has none).
    pub name: &'static str,
    /// The value as text; binary values in upper-case hex.
    pub value: Cow<'a, str>,
    /// Character (or, for binary formats, byte) offset of the object in the payload.
    pub offset: usize,
}

impl Field<'_> {
    /// How deep the field is: 0 for a root object.
    pub fn depth(&self) -> usize {
        self.path.matches('.').count()
    }
}
