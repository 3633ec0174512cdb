//! A linearizability checker for the end-to-end Raft tests: clients record
//! the reads, writes and compare-and-swaps they send to a kubox cluster in a
//! [`History`], and [`check`] decides whether one total order of those
//! operations, consistent with real time, explains every answer, each key
//! being a register that holds an optional value.
//!
//! The search is the Wing–Gong algorithm with Lowe's memoization, as in
//! Porcupine. Linearizability is local, so each key is checked on its own, by
//! a depth-first search over the list of invocations and completions that
//! remembers every (set of linearized operations, register value) it has
//! explored. It stops at a deadline, so a pathological history gives
//! [`Verdict::Timeout`] instead of a hung test.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// An operation a client sends, on one key of the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Reads the key's value.
    Read {
        /// The key.
        key: String,
    },
    /// Puts a value unconditionally.
    Write {
        /// The key.
        key: String,
        /// The value put.
        value: String,
    },
    /// Puts `new` if the key holds `expected` (`None`: if the key is absent).
    Cas {
        /// The key.
        key: String,
        /// The value the key must hold, or `None` for "absent".
        expected: Option<String>,
        /// The value put if it does.
        new: String,
    },
}

impl Op {
    /// The key the operation is on.
    pub fn key(&self) -> &str {
        match self {
            Op::Read { key } | Op::Write { key, .. } | Op::Cas { key, .. } => key,
        }
    }
}

/// What the store answered to an [`Op`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// A read's value, or `None` if the key was absent.
    Read(Option<String>),
    /// A write was applied.
    Written,
    /// Whether a compare-and-swap found the expected value and was applied.
    Swapped(bool),
}

/// How an operation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The store answered.
    Ok(Response),
    /// No answer (timeout, lost connection): the operation took effect at
    /// some point after its invocation, or never.
    Unknown,
}

/// Names one recorded operation, to complete it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpId(usize);

/// A thread-safe record of the operations concurrent clients performed.
///
/// Clones share one record. Times are the order of the `invoke` and
/// `complete` calls on it: a client that invokes before sending its request
/// and completes after the answer arrives records a window that contains the
/// real one, which is all linearizability needs. An operation never
/// completed counts as [`Outcome::Unknown`]. Every key starts absent.
#[derive(Clone, Debug, Default)]
pub struct History {
    record: Arc<Mutex<Record>>,
}

#[derive(Debug, Default)]
struct Record {
    clock: u64,
    operations: Vec<Operation>,
}

#[derive(Clone, Debug)]
struct Operation {
    client: usize,
    op: Op,
    invoked: u64,
    completed: Option<(u64, Outcome)>,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `client` is about to send `op`.
    pub fn invoke(&self, client: usize, op: Op) -> OpId {
        let mut record = self.lock();
        record.clock += 1;
        let invoked = record.clock;
        record.operations.push(Operation { client, op, invoked, completed: None });
        OpId(record.operations.len() - 1)
    }

    /// Records how the operation `id` ended.
    ///
    /// # Panics
    /// If `id` was not returned by this history's `invoke`, or was already
    /// completed: both are bugs in the test, not in the store.
    pub fn complete(&self, id: OpId, outcome: Outcome) {
        let mut record = self.lock();
        record.clock += 1;
        let completed = record.clock;
        let operation = record.operations.get_mut(id.0).expect("an OpId from this history");
        assert!(operation.completed.is_none(), "operation {} completed twice", id.0);
        operation.completed = Some((completed, outcome));
    }

    /// How many operations were invoked.
    pub fn len(&self) -> usize {
        self.lock().operations.len()
    }

    /// Whether no operation was invoked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // A client thread that panicked while recording left the record whole
    // (each change is a single push or assignment), so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What [`check`] concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Some order consistent with real time explains every answer.
    Ok,
    /// No order explains the answers on `key`.
    Illegal {
        /// The key whose history is not linearizable.
        key: String,
        /// The longest linearizable prefix found and the operations that
        /// could not come next.
        explanation: String,
    },
    /// The deadline passed before every key was decided.
    Timeout,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok => f.write_str("linearizable"),
            Verdict::Illegal { key, explanation } => write!(f, "key {key:?} is not linearizable: {explanation}"),
            Verdict::Timeout => f.write_str("linearizability check timed out"),
        }
    }
}

/// Checks that `history` is linearizable, giving up after `deadline`.
pub fn check(history: &History, deadline: Duration) -> Verdict {
    let deadline = Instant::now().checked_add(deadline);
    let operations = history.lock().operations.clone();
    let invisible = invisible_mutations(&operations);
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, operation) in operations.iter().enumerate() {
        // A read that got no answer constrains nothing.
        let unanswered = !matches!(operation.completed, Some((_, Outcome::Ok(_))));
        if unanswered && matches!(operation.op, Op::Read { .. }) || invisible.contains(&index) {
            continue;
        }
        by_key.entry(operation.op.key()).or_default().push(index);
    }
    // Small keys first: they are decided quickly, before a large one can
    // use up the deadline.
    let mut keys: Vec<_> = by_key.into_iter().collect();
    keys.sort_by_key(|(_, indices)| indices.len());
    for (key, indices) in keys {
        match KeyHistory::new(&operations, &indices).search(deadline) {
            Search::Linearizable => {}
            Search::Illegal(explanation) => return Verdict::Illegal { key: key.to_string(), explanation },
            Search::Timeout => return Verdict::Timeout,
        }
    }
    Verdict::Ok
}

/// Unanswered writes and compare-and-swaps that no answered operation can
/// have seen: nothing read the value they put, no successful
/// compare-and-swap expected it, and no compare-and-swap on the key failed
/// after they were invoked (a failure they could explain). Such an operation
/// may as well never have taken effect, and leaving it out changes no
/// verdict; left in, each one doubles the orders the search may try.
fn invisible_mutations(operations: &[Operation]) -> std::collections::HashSet<usize> {
    use std::collections::HashSet;
    let mut observed: HashSet<(&str, &str)> = HashSet::new();
    let mut failed_cas: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for o in operations {
        match (&o.op, &o.completed) {
            (Op::Read { key }, Some((_, Outcome::Ok(Response::Read(Some(v)))))) => {
                observed.insert((key, v));
            }
            (Op::Cas { key, expected: Some(e), .. }, Some((_, Outcome::Ok(Response::Swapped(true))))) => {
                observed.insert((key, e));
            }
            (Op::Cas { key, .. }, Some((_, Outcome::Ok(Response::Swapped(false))))) => {
                failed_cas.entry(key).or_default().push(o.invoked);
            }
            _ => {}
        }
    }
    operations
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o.completed, Some((_, Outcome::Ok(_)))))
        .filter(|(_, o)| match &o.op {
            Op::Write { key, value } | Op::Cas { key, new: value, .. } => {
                !observed.contains(&(key.as_str(), value.as_str()))
                    && !failed_cas.get(key.as_str()).is_some_and(|f| f.iter().any(|t| *t > o.invoked))
            }
            Op::Read { .. } => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// A register value, as an index into [`KeyHistory::values`].
type State = Option<u32>;

/// What an operation requires of the register and does to it.
enum Transition {
    Read(State),
    Write(u32),
    /// `swapped` is `None` when the outcome is unknown.
    Cas {
        expected: State,
        new: u32,
        swapped: Option<bool>,
    },
    /// The answer is of the wrong kind for the operation: it fits no state.
    Mismatched,
}

impl Transition {
    /// The register after the operation from `state`, if its answer fits.
    fn apply(&self, state: State) -> Option<State> {
        match *self {
            Transition::Read(value) => (state == value).then_some(state),
            Transition::Write(value) => Some(Some(value)),
            Transition::Cas { expected, new, swapped: Some(true) } => (state == expected).then_some(Some(new)),
            Transition::Cas { expected, swapped: Some(false), .. } => (state != expected).then_some(state),
            Transition::Cas { expected, new, swapped: None } => Some(if state == expected { Some(new) } else { state }),
            Transition::Mismatched => None,
        }
    }
}

/// One invocation or completion in the search's doubly linked list.
#[derive(Clone, Copy)]
struct Entry {
    /// The operation, as an index into [`KeyHistory::operations`].
    operation: usize,
    is_call: bool,
    /// The call's completion, or the completion's call.
    partner: usize,
    prev: usize,
    next: usize,
}

const HEAD: usize = 0;

/// How often (in search steps) the clock is read.
const CLOCK_EVERY: u32 = 1024;

enum Search {
    Linearizable,
    Illegal(String),
    Timeout,
}

/// The operations on one key, prepared for the search.
struct KeyHistory<'a> {
    operations: Vec<(OpId, &'a Operation, Transition)>,
    /// Every value mentioned, so that a state is a small copyable index.
    values: Vec<&'a str>,
    /// The list: `HEAD`, then invocations and completions in time order,
    /// then a tail sentinel.
    entries: Vec<Entry>,
}

impl<'a> KeyHistory<'a> {
    fn new(all: &'a [Operation], indices: &[usize]) -> Self {
        let mut values = Vec::new();
        let mut interned: HashMap<&'a str, u32> = HashMap::new();
        let mut intern = |value: &'a str| {
            *interned.entry(value).or_insert_with(|| {
                values.push(value);
                (values.len() - 1) as u32
            })
        };
        let mut operations = Vec::with_capacity(indices.len());
        for &index in indices {
            let operation = &all[index];
            let response = match &operation.completed {
                Some((_, Outcome::Ok(response))) => Some(response),
                _ => None,
            };
            let transition = match (&operation.op, response) {
                (Op::Read { .. }, Some(Response::Read(value))) => Transition::Read(value.as_deref().map(&mut intern)),
                (Op::Write { value, .. }, None | Some(Response::Written)) => Transition::Write(intern(value)),
                (Op::Cas { expected, new, .. }, None | Some(Response::Swapped(_))) => Transition::Cas {
                    expected: expected.as_deref().map(&mut intern),
                    new: intern(new),
                    swapped: response.map(|r| matches!(r, Response::Swapped(true))),
                },
                _ => Transition::Mismatched,
            };
            operations.push((OpId(index), operation, transition));
        }

        // Calls sort before completions at the same time; only unknown
        // completions (at "infinity") ever tie.
        let mut events: Vec<(u64, bool, usize)> = Vec::with_capacity(2 * operations.len());
        for (local, (_, operation, _)) in operations.iter().enumerate() {
            events.push((operation.invoked, false, local));
            events.push((completion_time(operation), true, local));
        }
        events.sort_unstable();
        let tail = events.len() + 1;
        let mut entries = vec![Entry { operation: 0, is_call: false, partner: 0, prev: HEAD, next: 1 }; tail + 1];
        let mut call_entry = vec![0; operations.len()];
        for (position, &(_, is_completion, local)) in events.iter().enumerate() {
            let index = position + 1;
            let partner = if is_completion { call_entry[local] } else { 0 };
            entries[index] =
                Entry { operation: local, is_call: !is_completion, partner, prev: index - 1, next: index + 1 };
            if is_completion {
                entries[partner].partner = index;
            } else {
                call_entry[local] = index;
            }
        }
        entries[tail].prev = tail - 1;
        Self { operations, values, entries }
    }

    fn search(mut self, deadline: Option<Instant>) -> Search {
        let tail = self.entries.len() - 1;
        let mut linearized = vec![0u64; self.operations.len().div_ceil(64)];
        let mut explored: HashSet<(Vec<u64>, State)> = HashSet::new();
        // The linearized calls, each with the state before it.
        let mut calls: Vec<(usize, State)> = Vec::new();
        let mut state: State = None;
        let mut longest: (Vec<usize>, State) = (Vec::new(), None);
        let mut until_clock = 0;
        let mut entry = self.entries[HEAD].next;
        while self.entries[HEAD].next != tail {
            if until_clock == 0 {
                if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                    return Search::Timeout;
                }
                until_clock = CLOCK_EVERY;
            }
            until_clock -= 1;

            let Entry { operation, is_call, next, .. } = self.entries[entry];
            if !is_call {
                // The earliest pending completion: its operation had to be
                // linearized by now, so undo the last choice.
                let Some((call, before)) = calls.pop() else {
                    return Search::Illegal(self.explain(&longest.0, longest.1));
                };
                let operation = self.entries[call].operation;
                linearized[operation / 64] &= !(1 << (operation % 64));
                state = before;
                self.unlift(call);
                entry = self.entries[call].next;
                continue;
            }
            if let Some(after) = self.operations[operation].2.apply(state) {
                linearized[operation / 64] |= 1 << (operation % 64);
                if explored.insert((linearized.clone(), after)) {
                    calls.push((entry, state));
                    state = after;
                    self.lift(entry);
                    if calls.len() > longest.0.len() {
                        longest = (calls.iter().map(|&(call, _)| self.entries[call].operation).collect(), state);
                    }
                    entry = self.entries[HEAD].next;
                    continue;
                }
                linearized[operation / 64] &= !(1 << (operation % 64));
            }
            entry = next;
        }
        Search::Linearizable
    }

    /// Takes a call and its completion out of the list.
    fn lift(&mut self, call: usize) {
        for index in [call, self.entries[call].partner] {
            let Entry { prev, next, .. } = self.entries[index];
            self.entries[prev].next = next;
            self.entries[next].prev = prev;
        }
    }

    /// Puts back what [`Self::lift`] took out, in reverse order.
    fn unlift(&mut self, call: usize) {
        for index in [self.entries[call].partner, call] {
            let Entry { prev, next, .. } = self.entries[index];
            self.entries[prev].next = index;
            self.entries[next].prev = index;
        }
    }

    /// Describes the longest linearizable prefix and why nothing extends it.
    fn explain(&self, prefix: &[usize], state: State) -> String {
        const SHOWN: usize = 10;
        let mut text = format!(
            "no order of its {} operations explains every answer; the longest explained prefix has {}",
            self.operations.len(),
            prefix.len()
        );
        if prefix.len() > SHOWN {
            text.push_str(", ending with:");
        } else {
            text.push(':');
        }
        for &operation in &prefix[prefix.len().saturating_sub(SHOWN)..] {
            text.push_str(&format!("\n  {}", self.describe(operation)));
        }
        text.push_str(&format!("\nafter it the key holds {}, and none of these can come next:", self.value(state)));
        let mut placed = vec![false; self.operations.len()];
        for &operation in prefix {
            placed[operation] = true;
        }
        let pending = || (0..self.operations.len()).filter(|&operation| !placed[operation]);
        // Nothing invoked after the first pending completion can come before it.
        let Some(first_done) = pending().min_by_key(|&operation| completion_time(self.operations[operation].1)) else {
            return text;
        };
        let horizon = completion_time(self.operations[first_done].1);
        for operation in pending().filter(|&operation| self.operations[operation].1.invoked < horizon) {
            let why = match self.operations[operation].2.apply(state) {
                None => "its answer does not fit",
                Some(_) => "fits, but nothing can follow it",
            };
            text.push_str(&format!("\n  {} ({why})", self.describe(operation)));
        }
        text
    }

    /// One operation as `#id client c [invoked, completed]: op = answer`.
    fn describe(&self, operation: usize) -> String {
        let (OpId(id), operation, _) = &self.operations[operation];
        let (completed, answer) = match &operation.completed {
            Some((time, Outcome::Ok(response))) => (time.to_string(), self.answer(response)),
            Some((time, Outcome::Unknown)) => (time.to_string(), "unknown".to_string()),
            None => ("-".to_string(), "no answer".to_string()),
        };
        let op = match &operation.op {
            Op::Read { .. } => "read".to_string(),
            Op::Write { value, .. } => format!("write {value:?}"),
            Op::Cas { expected, new, .. } => {
                format!("cas {} -> {new:?}", expected.as_deref().map_or("absent".to_string(), |v| format!("{v:?}")))
            }
        };
        format!("#{id} client {} [{}, {completed}]: {op} = {answer}", operation.client, operation.invoked)
    }

    fn answer(&self, response: &Response) -> String {
        match response {
            Response::Read(None) => "absent".to_string(),
            Response::Read(Some(value)) => format!("{value:?}"),
            Response::Written => "written".to_string(),
            Response::Swapped(swapped) => swapped.to_string(),
        }
    }

    fn value(&self, state: State) -> String {
        match state {
            None => "nothing".to_string(),
            Some(value) => format!("{:?}", self.values[value as usize]),
        }
    }
}

/// When an operation's effect must have happened by: its completion, or
/// never for an unknown outcome.
fn completion_time(operation: &Operation) -> u64 {
    match operation.completed {
        Some((time, Outcome::Ok(_))) => time,
        _ => u64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLINE: Duration = Duration::from_secs(5);

    fn read(key: &str) -> Op {
        Op::Read { key: key.into() }
    }

    fn write(key: &str, value: &str) -> Op {
        Op::Write { key: key.into(), value: value.into() }
    }

    fn cas(key: &str, expected: Option<&str>, new: &str) -> Op {
        Op::Cas { key: key.into(), expected: expected.map(Into::into), new: new.into() }
    }

    fn got(value: Option<&str>) -> Outcome {
        Outcome::Ok(Response::Read(value.map(Into::into)))
    }

    fn written() -> Outcome {
        Outcome::Ok(Response::Written)
    }

    fn swapped(swapped: bool) -> Outcome {
        Outcome::Ok(Response::Swapped(swapped))
    }

    /// Invokes and completes `op` before anything else happens.
    fn atomic(history: &History, client: usize, op: Op, outcome: Outcome) {
        let id = history.invoke(client, op);
        history.complete(id, outcome);
    }

    fn explanation(verdict: Verdict, expected_key: &str) -> String {
        match verdict {
            Verdict::Illegal { key, explanation } => {
                assert_eq!(key, expected_key);
                explanation
            }
            other => panic!("expected an illegal history, got {other:?}"),
        }
    }

    #[test]
    fn empty_history_is_linearizable() {
        let history = History::new();
        assert!(history.is_empty());
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn sequential_register_is_linearizable() {
        let history = History::new();
        atomic(&history, 0, read("k"), got(None));
        atomic(&history, 0, cas("k", None, "a"), swapped(true));
        atomic(&history, 1, cas("k", None, "b"), swapped(false));
        atomic(&history, 1, read("k"), got(Some("a")));
        atomic(&history, 2, write("k", "c"), written());
        atomic(&history, 0, cas("k", Some("c"), "d"), swapped(true));
        atomic(&history, 1, read("k"), got(Some("d")));
        assert_eq!(history.len(), 7);
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn stale_read_after_a_completed_write_is_illegal() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        atomic(&history, 0, write("k", "b"), written());
        atomic(&history, 1, read("k"), got(Some("a")));
        let explanation = explanation(check(&history, DEADLINE), "k");
        assert!(explanation.contains("the longest explained prefix has 2"), "{explanation}");
        assert!(explanation.contains("after it the key holds \"b\""), "{explanation}");
        assert!(explanation.contains("#2 client 1 [5, 6]: read = \"a\" (its answer does not fit)"), "{explanation}");
    }

    #[test]
    fn two_swaps_from_the_same_value_cannot_both_succeed() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        let first = history.invoke(1, cas("k", Some("a"), "b"));
        let second = history.invoke(2, cas("k", Some("a"), "c"));
        history.complete(second, swapped(true));
        history.complete(first, swapped(true));
        let explanation = explanation(check(&history, DEADLINE), "k");
        assert!(explanation.contains("the longest explained prefix has 2"), "{explanation}");
    }

    #[test]
    fn one_of_two_concurrent_swaps_from_the_same_value_succeeds() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        let first = history.invoke(1, cas("k", Some("a"), "b"));
        let second = history.invoke(2, cas("k", Some("a"), "c"));
        history.complete(second, swapped(false));
        history.complete(first, swapped(true));
        atomic(&history, 0, read("k"), got(Some("b")));
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn lost_write_is_illegal() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        atomic(&history, 1, read("k"), got(None));
        explanation(check(&history, DEADLINE), "k");
    }

    #[test]
    fn read_of_a_value_never_written_is_illegal() {
        let history = History::new();
        let w = history.invoke(0, write("k", "a"));
        let r = history.invoke(1, read("k"));
        history.complete(r, got(Some("z")));
        history.complete(w, written());
        let explanation = explanation(check(&history, DEADLINE), "k");
        assert!(explanation.contains("read = \"z\" (its answer does not fit)"), "{explanation}");
    }

    #[test]
    fn overlapping_operations_may_take_effect_in_either_order() {
        // The write overlaps two reads in sequence: the first may see the
        // key before it and the second after it...
        let history = History::new();
        let w = history.invoke(0, write("k", "a"));
        atomic(&history, 1, read("k"), got(None));
        atomic(&history, 1, read("k"), got(Some("a")));
        history.complete(w, written());
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);

        // ...but once a read has seen it, a later read cannot miss it.
        let history = History::new();
        let w = history.invoke(0, write("k", "a"));
        atomic(&history, 1, read("k"), got(Some("a")));
        atomic(&history, 1, read("k"), got(None));
        history.complete(w, written());
        explanation(check(&history, DEADLINE), "k");
    }

    #[test]
    fn concurrent_writes_are_seen_in_one_order_by_everyone() {
        // Two overlapping writes may land in either order...
        let history = History::new();
        let a = history.invoke(0, write("k", "a"));
        let b = history.invoke(1, write("k", "b"));
        history.complete(a, written());
        history.complete(b, written());
        atomic(&history, 2, read("k"), got(Some("a")));
        atomic(&history, 3, read("k"), got(Some("a")));
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);

        // ...but not in both.
        let history = History::new();
        let a = history.invoke(0, write("k", "a"));
        let b = history.invoke(1, write("k", "b"));
        history.complete(a, written());
        history.complete(b, written());
        atomic(&history, 2, read("k"), got(Some("a")));
        atomic(&history, 3, read("k"), got(Some("b")));
        explanation(check(&history, DEADLINE), "k");
    }

    #[test]
    fn unknown_write_may_have_taken_effect() {
        let history = History::new();
        let w = history.invoke(0, write("k", "a"));
        history.complete(w, Outcome::Unknown);
        atomic(&history, 1, read("k"), got(None));
        atomic(&history, 1, read("k"), got(Some("a")));
        atomic(&history, 1, cas("k", Some("a"), "b"), swapped(true));
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn unknown_write_may_never_take_effect() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        let w = history.invoke(1, write("k", "b"));
        history.complete(w, Outcome::Unknown);
        for _ in 0..3 {
            atomic(&history, 2, read("k"), got(Some("a")));
        }
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn unknown_write_takes_effect_at_most_once() {
        let history = History::new();
        let w = history.invoke(0, write("k", "a"));
        history.complete(w, Outcome::Unknown);
        atomic(&history, 1, read("k"), got(Some("a")));
        atomic(&history, 1, write("k", "b"), written());
        atomic(&history, 1, read("k"), got(Some("a")));
        let explanation = explanation(check(&history, DEADLINE), "k");
        assert!(explanation.contains("write \"a\" = unknown"), "{explanation}");
    }

    #[test]
    fn unknown_write_cannot_take_effect_before_its_invocation() {
        let history = History::new();
        atomic(&history, 0, read("k"), got(Some("a")));
        let w = history.invoke(1, write("k", "a"));
        history.complete(w, Outcome::Unknown);
        explanation(check(&history, DEADLINE), "k");
    }

    #[test]
    fn operation_never_completed_is_unknown() {
        let history = History::new();
        history.invoke(0, cas("k", None, "a"));
        history.invoke(1, read("k"));
        atomic(&history, 2, read("k"), got(Some("a")));
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    #[test]
    fn keys_are_independent_registers() {
        let history = History::new();
        atomic(&history, 0, write("a", "1"), written());
        atomic(&history, 0, write("b", "2"), written());
        atomic(&history, 1, read("a"), got(Some("1")));
        atomic(&history, 1, read("c"), got(None));
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);

        atomic(&history, 1, read("b"), got(Some("1")));
        let verdict = check(&history, DEADLINE);
        assert!(verdict.to_string().starts_with("key \"b\" is not linearizable"), "{verdict}");
        explanation(verdict, "b");
    }

    #[test]
    fn answer_of_the_wrong_kind_is_illegal() {
        let history = History::new();
        atomic(&history, 0, read("k"), written());
        explanation(check(&history, DEADLINE), "k");
    }

    #[test]
    fn search_stops_at_the_deadline() {
        let history = History::new();
        atomic(&history, 0, write("k", "a"), written());
        assert_eq!(check(&history, Duration::ZERO), Verdict::Timeout);
        assert_eq!(check(&History::new(), Duration::ZERO), Verdict::Ok);
    }

    #[test]
    fn threads_sharing_a_locked_register_are_linearizable() {
        let history = History::new();
        let register: Mutex<HashMap<String, String>> = Mutex::new(HashMap::new());
        std::thread::scope(|scope| {
            for client in 0..4 {
                let (history, register) = (&history, &register);
                scope.spawn(move || {
                    for n in 0..25 {
                        let key = ["a", "b"][n % 2];
                        let value = format!("{client}.{n}");
                        let op =
                            [read(key), write(key, &value), cas(key, Some("0.0"), &value)][(client + n) % 3].clone();
                        let id = history.invoke(client, op.clone());
                        let outcome = apply(&mut register.lock().unwrap(), &op);
                        history.complete(id, outcome);
                    }
                });
            }
        });
        assert_eq!(history.len(), 100);
        assert_eq!(check(&history, DEADLINE), Verdict::Ok);
    }

    /// The sequential register the randomized tests simulate.
    fn apply(store: &mut HashMap<String, String>, op: &Op) -> Outcome {
        match op {
            Op::Read { key } => got(store.get(key).map(String::as_str)),
            Op::Write { key, value } => {
                store.insert(key.clone(), value.clone());
                written()
            }
            Op::Cas { key, expected, new } => {
                let matches = store.get(key) == expected.as_ref();
                if matches {
                    store.insert(key.clone(), new.clone());
                }
                swapped(matches)
            }
        }
    }

    /// SplitMix64: deterministic randomness without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// One recorded event of a simulated run, to replay into a [`History`].
    #[derive(Clone)]
    enum Event {
        Invoke(usize, Op),
        /// Completes the operation invoked by the given event.
        Complete(usize, Outcome),
    }

    enum Client {
        Idle,
        /// Sent, not yet applied by the register.
        Sent {
            event: usize,
            op: Op,
        },
        /// Applied; the answer is on its way back.
        Answered {
            event: usize,
            outcome: Outcome,
        },
    }

    /// Simulates 200 operations by 5 clients on 3 keys against a correct
    /// register, each applied atomically at a random point of its window;
    /// a few answers are lost, some after the operation took effect.
    fn simulate(seed: u64) -> Vec<Event> {
        const OPERATIONS: usize = 200;
        let keys = ["a", "b", "c"];
        let mut rng = Rng(seed);
        let mut store = HashMap::new();
        let mut written: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
        let mut clients: Vec<Client> = (0..5).map(|_| Client::Idle).collect();
        let mut events = Vec::new();
        let mut invoked = 0;
        while invoked < OPERATIONS || clients.iter().any(|c| !matches!(c, Client::Idle)) {
            let client = rng.below(clients.len());
            clients[client] = match std::mem::replace(&mut clients[client], Client::Idle) {
                Client::Idle if invoked < OPERATIONS => {
                    let k = rng.below(keys.len());
                    let key = keys[k];
                    // Values are unique, so a corrupted read can be made to
                    // point at one specific write.
                    let value = format!("{key}{invoked}");
                    let op = match rng.below(3) {
                        0 => read(key),
                        1 => {
                            written[k].push(value.clone());
                            write(key, &value)
                        }
                        _ => {
                            // Mostly the current value, so that swaps succeed.
                            let expected = match rng.below(4) {
                                0 => None,
                                1 if !written[k].is_empty() => Some(written[k][rng.below(written[k].len())].clone()),
                                _ => store.get(key).cloned(),
                            };
                            written[k].push(value.clone());
                            Op::Cas { key: key.into(), expected, new: value }
                        }
                    };
                    invoked += 1;
                    events.push(Event::Invoke(client, op.clone()));
                    Client::Sent { event: events.len() - 1, op }
                }
                Client::Idle => Client::Idle,
                Client::Sent { event, op } => match rng.below(50) {
                    0 => {
                        events.push(Event::Complete(event, Outcome::Unknown));
                        Client::Idle
                    }
                    _ => Client::Answered { event, outcome: apply(&mut store, &op) },
                },
                Client::Answered { event, outcome } => {
                    let outcome = if rng.below(50) == 0 { Outcome::Unknown } else { outcome };
                    events.push(Event::Complete(event, outcome));
                    Client::Idle
                }
            };
        }
        events
    }

    fn replay(events: &[Event]) -> History {
        let history = History::new();
        let mut ids = HashMap::new();
        for (index, event) in events.iter().enumerate() {
            match event {
                Event::Invoke(client, op) => {
                    ids.insert(index, history.invoke(*client, op.clone()));
                }
                Event::Complete(invocation, outcome) => history.complete(ids[invocation], outcome.clone()),
            }
        }
        history
    }

    #[test]
    fn randomized_correct_register_is_linearizable() {
        for seed in 0..5 {
            let history = replay(&simulate(seed));
            assert_eq!(history.len(), 200);
            let started = Instant::now();
            let verdict = check(&history, Duration::from_millis(500));
            assert_eq!(verdict, Verdict::Ok, "seed {seed}: {verdict}");
            assert!(started.elapsed() < Duration::from_millis(500));
        }
    }

    #[test]
    fn randomized_read_from_the_future_is_illegal() {
        for seed in 0..5 {
            let mut events = simulate(seed);
            let mut rng = Rng(seed ^ 0xdead_beef);
            // A read that completed before a write on its key was invoked,
            // made to return that write's value.
            let mut candidates = Vec::new();
            for (completion, event) in events.iter().enumerate() {
                let Event::Complete(invocation, Outcome::Ok(Response::Read(_))) = event else { continue };
                let Event::Invoke(_, Op::Read { key }) = &events[*invocation] else { continue };
                for later in &events[completion..] {
                    if let Event::Invoke(_, Op::Write { key: k, value } | Op::Cas { key: k, new: value, .. }) = later
                        && k == key
                    {
                        candidates.push((completion, *invocation, key.clone(), value.clone()));
                    }
                }
            }
            assert!(!candidates.is_empty(), "seed {seed}: no read precedes a write");
            let (completion, invocation, key, future) = candidates.swap_remove(rng.below(candidates.len()));
            events[completion] = Event::Complete(invocation, got(Some(&future)));
            let history = replay(&events);
            let verdict = check(&history, Duration::from_millis(500));
            let explanation = explanation(verdict, &key);
            assert!(explanation.contains(&format!("read = {future:?}")), "seed {seed}: {explanation}");
        }
    }
}
