//! Rendering one post's Liquid within bounds: a runtime that gives Jekyll's `nil` for a
//! variable nobody set (and remembers it for a warning) where liquid-rust would stop, a writer
//! that stops a render past its size or time budget, and the per-render state the tags share.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use liquid_core::model::{KString, KStringCow, KStringRef, ScalarCow, Value, ValueCow};
use liquid_core::runtime::{PartialStore, Registers};
use liquid_core::{Error, Result, Runtime, ValueView};

use super::ordered::Ordered;

/// Limits of one post's Liquid.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// The render stops here.
    pub deadline: Instant,
    /// The largest value a filter may make (bytes of text, counting array items too).
    pub max_value: usize,
}

/// What the tags of one render share: set by the engine around each render, on the thread
/// that renders (Liquid renders synchronously).
#[derive(Debug, Default)]
pub struct RenderState {
    /// Problems found while rendering, for warnings.
    pub warnings: Vec<String>,
    /// Variables read but never set (`site.foo`), in the order first read.
    pub missing: Vec<String>,
    /// Includes nested now.
    pub include_depth: usize,
    /// The folder of the post, for `include_relative`.
    pub post_dir: Option<PathBuf>,
    pub budget: Option<Budget>,
    /// Set when a limit was hit: the render is abandoned.
    pub limit: Option<String>,
}

thread_local! {
    static STATE: RefCell<RenderState> = RefCell::new(RenderState::default());
}

/// Runs `f` with the render state of this thread.
pub fn with_state<T>(f: impl FnOnce(&mut RenderState) -> T) -> T {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Starts a render: fresh state with `post_dir` and `budget`.
pub fn begin(post_dir: Option<PathBuf>, budget: Budget) {
    with_state(|s| {
        *s = RenderState {
            post_dir,
            budget: Some(budget),
            ..RenderState::default()
        }
    });
}

/// Ends a render, returning its state.
pub fn finish() -> RenderState {
    with_state(std::mem::take)
}

/// Records a limit hit and returns the error that stops the render.
pub fn limit_error(message: String) -> Error {
    with_state(|s| {
        if s.limit.is_none() {
            s.limit = Some(message.clone());
        }
    });
    Error::with_msg(message)
}

fn check_deadline() -> Result<()> {
    let late = with_state(|s| s.budget.is_some_and(|b| Instant::now() > b.deadline));
    if late {
        return Err(limit_error(
            "Liquid took longer than its time budget for one post; stopped".into(),
        ));
    }
    Ok(())
}

/// Values assigned during one render (`assign`, `capture`), kept where hash maps keep their
/// order: a hash assigned and then looped over is visited in sorted key order, the same in
/// every build (liquid-rust's own globals are hash maps).
pub struct Assigned<'a> {
    arena: &'a typed_arena::Arena<Ordered>,
    names: RefCell<std::collections::HashMap<String, &'a Ordered>>,
}

impl<'a> Assigned<'a> {
    pub fn new(arena: &'a typed_arena::Arena<Ordered>) -> Self {
        Assigned {
            arena,
            names: RefCell::new(std::collections::HashMap::new()),
        }
    }

    fn find(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'a>> {
        let root = path.first()?.to_kstr().to_string();
        let value: &'a Ordered = *self.names.borrow().get(&root)?;
        liquid_core::model::try_find(value, &path[1..])
    }

    fn set(&self, name: &str, value: Value) -> Option<Value> {
        let stored: &'a Ordered = self.arena.alloc(Ordered::from_value(value));
        self.names
            .borrow_mut()
            .insert(name.to_string(), stored)
            .map(ValueView::to_value)
    }
}

/// A runtime that answers `nil` for unknown variables, as Jekyll's Liquid does, and notes
/// them; it also stops the render when the time budget is spent. The outermost one keeps the
/// render's assignments (see [`Assigned`]); one inside an include leaves them to it.
pub struct Lenient<'r, 'a> {
    pub inner: &'r dyn Runtime,
    pub assigned: Option<&'r Assigned<'a>>,
}

impl Runtime for Lenient<'_, '_> {
    fn partials(&self) -> &dyn PartialStore {
        self.inner.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.inner.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.inner.roots()
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        if let Some(found) = self.assigned.and_then(|a| a.find(path)) {
            return Some(found);
        }
        self.inner.try_get(path)
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        check_deadline()?;
        match self.try_get(path) {
            Some(value) => Ok(value),
            None => {
                let name = path
                    .iter()
                    .map(|p| p.to_kstr().to_string())
                    .collect::<Vec<_>>()
                    .join(".");
                with_state(|s| {
                    if !s.missing.contains(&name) && s.missing.len() < 50 {
                        s.missing.push(name);
                    }
                });
                Ok(ValueCow::Owned(Value::Nil))
            }
        }
    }

    fn set_global(&self, name: KString, val: Value) -> Option<Value> {
        match self.assigned {
            Some(assigned) => assigned.set(&name, val),
            None => self.inner.set_global(name, val),
        }
    }

    fn set_index(&self, name: KString, val: Value) -> Option<Value> {
        self.inner.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.inner.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.inner.registers()
    }
}

/// A writer that refuses to grow past the budget or to run past its deadline.
pub struct BudgetWriter {
    pub buffer: Vec<u8>,
    pub max: usize,
}

impl Write for BudgetWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.buffer.len() + bytes.len() > self.max {
            let message = format!(
                "Liquid output passed {} bytes for one post; stopped",
                self.max
            );
            limit_error(message.clone());
            return Err(std::io::Error::other(message));
        }
        if check_deadline().is_err() {
            return Err(std::io::Error::other("time budget"));
        }
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of a value as the budget counts it: the bytes of its text, and one per array
/// item or object entry (objects are not entered: no filter makes them grow).
fn value_size(value: &Value, limit: usize) -> usize {
    match value {
        Value::Scalar(s) => s.to_kstr().len(),
        Value::Array(items) => {
            let mut size = items.len();
            for item in items {
                if size > limit {
                    break;
                }
                size += value_size(item, limit);
            }
            size
        }
        Value::Object(o) => o.len(),
        _ => 0,
    }
}

/// A filter held to the render's budget: it does not start past the deadline, and a result
/// larger than the budget stops the render. Without it a chain such as `| jsonify | jsonify
/// | …` (each doubles the backslashes) or `{% assign x = x | append: x %}` in a loop doubles a
/// value at each step and exhausts memory long before anything is written.
#[derive(Clone)]
pub struct BoundedFilter(pub Box<dyn liquid_core::ParseFilter>);

impl liquid_core::ParseFilter for BoundedFilter {
    fn parse(
        &self,
        arguments: liquid_core::parser::FilterArguments<'_>,
    ) -> Result<Box<dyn liquid_core::Filter>> {
        let name = self.0.reflection().name().to_string();
        Ok(Box::new(Bounded {
            inner: self.0.parse(arguments)?,
            name,
        }))
    }

    fn reflection(&self) -> &dyn liquid_core::FilterReflection {
        self.0.reflection()
    }
}

#[derive(Debug)]
struct Bounded {
    inner: Box<dyn liquid_core::Filter>,
    name: String,
}

impl std::fmt::Display for Bounded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl liquid_core::Filter for Bounded {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        check_deadline()?;
        let value = self.inner.evaluate(input, runtime)?;
        if let Some(max) = with_state(|s| s.budget.map(|b| b.max_value)) {
            if value_size(&value, max) > max {
                return Err(limit_error(format!(
                    "the Liquid filter `{}` made a value larger than {max} bytes; stopped",
                    self.name
                )));
            }
        }
        Ok(value)
    }
}
