//! Liquid values that keep the order they were written in. liquid-rust's objects are hash maps
//! whose iteration order changes from run to run; a `{% for pair in site.data.team %}` over one
//! would write the feeds differently on every build. `site.*` and `page.*` are built from these
//! instead, so a loop over a hash follows the data file, as in Jekyll, and rebuilds stay
//! byte-identical.

use std::collections::HashMap;
use std::fmt;

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, ObjectView, ScalarCow, State, Value, ValueView,
};

/// A value: a scalar (or nil), a list, or a map in its written order.
#[derive(Debug, Clone)]
pub enum Ordered {
    Scalar(Value),
    List(OrderedList),
    Map(OrderedMap),
}

/// A list of [`Ordered`] values.
#[derive(Debug, Clone, Default)]
pub struct OrderedList(pub Vec<Ordered>);

/// A map that iterates in insertion order; a key inserted again keeps its first place.
#[derive(Debug, Clone, Default)]
pub struct OrderedMap {
    entries: Vec<(KString, Ordered)>,
    index: HashMap<KString, usize>,
}

impl OrderedMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, key: impl Into<KString>, value: Ordered) {
        let key = key.into();
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }
}

impl Ordered {
    pub fn nil() -> Self {
        Ordered::Scalar(Value::Nil)
    }

    pub fn text(s: impl Into<String>) -> Self {
        Ordered::Scalar(Value::scalar(s.into()))
    }

    /// A liquid-rust value as an ordered one; a hash's keys (whose order is lost already)
    /// sorted, so that the order is at least the same in every build.
    pub fn from_value(value: Value) -> Ordered {
        match value {
            Value::Array(items) => Ordered::List(OrderedList(
                items.into_iter().map(Ordered::from_value).collect(),
            )),
            Value::Object(object) => {
                let mut entries: Vec<(KString, Value)> = object.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                let mut map = OrderedMap::new();
                for (k, v) in entries {
                    map.insert(k, Ordered::from_value(v));
                }
                Ordered::Map(map)
            }
            other => Ordered::Scalar(other),
        }
    }

    fn view(&self) -> &dyn ValueView {
        match self {
            Ordered::Scalar(v) => v,
            Ordered::List(l) => l,
            Ordered::Map(m) => m,
        }
    }
}

impl ValueView for Ordered {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        self.view().render()
    }
    fn source(&self) -> DisplayCow<'_> {
        self.view().source()
    }
    fn type_name(&self) -> &'static str {
        self.view().type_name()
    }
    fn query_state(&self, state: State) -> bool {
        self.view().query_state(state)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        self.view().to_kstr()
    }
    fn to_value(&self) -> Value {
        self.view().to_value()
    }
    fn as_scalar(&self) -> Option<ScalarCow<'_>> {
        self.view().as_scalar()
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        self.view().as_array()
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        self.view().as_object()
    }
    fn as_state(&self) -> Option<State> {
        self.view().as_state()
    }
    fn is_nil(&self) -> bool {
        self.view().is_nil()
    }
}

/// A value's rendering, made once: Liquid renders lists and maps by concatenating.
fn rendered(value: &dyn ValueView) -> DisplayCow<'static> {
    DisplayCow::Owned(Box::new(value.to_value().render().to_string()))
}

impl ValueView for OrderedList {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        rendered(self)
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }
    fn type_name(&self) -> &'static str {
        "array"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.0.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.to_value().render().to_string())
    }
    fn to_value(&self) -> Value {
        Value::Array(self.0.iter().map(ValueView::to_value).collect())
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        Some(self)
    }
}

impl ArrayView for OrderedList {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.len() as i64
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.0.iter().map(|v| v as &dyn ValueView))
    }
    fn contains_key(&self, index: i64) -> bool {
        self.get(index).is_some()
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let len = self.0.len() as i64;
        let i = if index < 0 { len + index } else { index };
        if (0..len).contains(&i) {
            Some(&self.0[i as usize])
        } else {
            None
        }
    }
}

impl ValueView for OrderedMap {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        rendered(self)
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(self.to_value().source().to_string()))
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.entries.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(self.to_value().render().to_string())
    }
    fn to_value(&self) -> Value {
        Value::Object(
            self.entries
                .iter()
                .map(|(k, v)| (k.clone(), v.to_value()))
                .collect(),
        )
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for OrderedMap {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.entries.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.entries.iter().map(|(k, _)| k.as_str().into()))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.entries.iter().map(|(_, v)| v as &dyn ValueView))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.entries
                .iter()
                .map(|(k, v)| (k.as_str().into(), v as &dyn ValueView)),
        )
    }
    fn contains_key(&self, index: &str) -> bool {
        self.index.contains_key(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.index
            .get(index)
            .map(|&i| &self.entries[i].1 as &dyn ValueView)
    }
}
