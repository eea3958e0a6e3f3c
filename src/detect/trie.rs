//! A byte trie of the folded aliases, laid out for short walks.
//!
//! The matcher walks it from each place in a text where an alias may start, one folded byte
//! at a time, and almost every walk ends within a few bytes. So the layout favours the first
//! levels: the root has a full table of 256 children; every other node lists its children's
//! bytes in one short run, and nodes are numbered breadth first, so the nodes a walk visits
//! first sit together in memory.

/// A node id; [`Trie::ROOT`] is the root.
pub(crate) type NodeId = u32;

#[derive(Debug)]
pub(crate) struct Trie {
    /// The root's child for each byte, or [`NONE`].
    root: Box<[NodeId; 256]>,
    nodes: Vec<Node>,
    /// The byte leading to each node (indexed by node id; the root's is unused).
    labels: Vec<u8>,
    /// The patterns ending at each node, as runs of pattern ids (see `Node::outputs`).
    outputs: Vec<u32>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Node {
    /// The id of the first child; the children are the next `children` ids, sorted by byte.
    first_child: u32,
    children: u32,
    /// Where the node's patterns start in `Trie::outputs`, and how many there are.
    outputs: u32,
    output_count: u32,
}

const NONE: NodeId = u32::MAX;

impl Trie {
    pub const ROOT: NodeId = 0;

    /// The trie of `keys`; pattern `i` is `keys[i]`. Equal keys share a node, and both are
    /// reported there.
    pub fn new<K: AsRef<[u8]>>(keys: &[K]) -> Trie {
        // Built level by level from the keys in sorted order: the keys below a node at depth
        // `d` are one run of the sorted list, and its children split that run by the byte at
        // `d`. Nodes get their ids in the order they are made, which is breadth first.
        let keys: Vec<&[u8]> = keys.iter().map(AsRef::as_ref).collect();
        let mut builder = Builder {
            sorted: sorted(&keys),
            keys,
            runs: Vec::new(),
            trie: Trie {
                root: Box::new([NONE; 256]),
                nodes: Vec::new(),
                labels: vec![0],
                outputs: Vec::new(),
            },
        };
        builder.runs.push((0, builder.sorted.len(), 0));
        let mut id = 0;
        while id < builder.runs.len() {
            builder.make(id);
            id += 1;
        }
        builder.trie
    }

    #[inline]
    pub fn step(&self, node: NodeId, b: u8) -> Option<NodeId> {
        if node == Trie::ROOT {
            let child = self.root[usize::from(b)];
            return (child != NONE).then_some(child);
        }
        let n = self.nodes.get(node as usize)?;
        let first = n.first_child as usize;
        let labels = self.labels.get(first..first + n.children as usize)?;
        labels.iter().position(|&l| l == b).map(|i| n.first_child + i as u32)
    }

    /// The patterns that end at `node`.
    #[inline]
    pub fn outputs(&self, node: NodeId) -> &[u32] {
        match self.nodes.get(node as usize) {
            Some(n) if n.output_count > 0 => {
                let start = n.outputs as usize;
                self.outputs.get(start..start + n.output_count as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// Heap memory, in bytes.
    pub fn memory_usage(&self) -> usize {
        256 * 4
            + self.nodes.len() * std::mem::size_of::<Node>()
            + self.labels.len()
            + self.outputs.len() * 4
    }

    /// Number of nodes.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// The indices of `keys` in byte order (equal keys by index).
// Not inlined, nor `Builder::make`: see `Keys::add_folded` in matcher.rs (start-up loops
// belong in small functions that run many times).
#[inline(never)]
fn sorted(keys: &[&[u8]]) -> Vec<u32> {
    // Sorted as numbers first: the first eight bytes (big-endian, so numbers order as the
    // bytes do; a shorter key is padded with zeros and its length breaks the tie), then the
    // index, in one 128-bit number. Comparing numbers rather than slices made building the
    // trie, on every start of the extension's background, a quarter quicker. Keys longer than
    // eight bytes with the same first eight are then put in order by the rest.
    let mut numbers: Vec<u128> = (0u32..)
        .zip(keys)
        .map(|(i, k)| {
            let mut eight = [0u8; 8];
            eight.iter_mut().zip(*k).for_each(|(s, b)| *s = *b);
            let head = u128::from(u64::from_be_bytes(eight));
            head << 64 | (k.len().min(8) as u128) << 32 | u128::from(i)
        })
        .collect();
    numbers.sort_unstable();
    let mut sorted: Vec<u32> = numbers.iter().map(|&n| n as u32).collect();
    let mut from = 0;
    while from < numbers.len() {
        let group = |n: Option<&u128>| n.map(|&n| n >> 32);
        let mut to = from + 1;
        while to < numbers.len() && group(numbers.get(to)) == group(numbers.get(from)) {
            to += 1;
        }
        if to - from > 1 && group(numbers.get(from)).is_some_and(|g| g & 0xff == 8) {
            if let Some(run) = sorted.get_mut(from..to) {
                // A stable sort: equal keys stay in index order. (Not `sort_unstable_by`, whose
                // sorting network for small slices, inlined with this comparison, added 16 KB
                // of code.)
                run.sort_by_cached_key(|&i| keys.get(i as usize).and_then(|k| k.get(8..)));
            }
        }
        from = to;
    }
    sorted
}

/// A trie being built: the runs of sorted keys below each node made so far.
struct Builder<'a> {
    keys: Vec<&'a [u8]>,
    sorted: Vec<u32>,
    /// For each node id: its keys (a range of `sorted`) and its depth.
    runs: Vec<(usize, usize, usize)>,
    trie: Trie,
}

impl Builder<'_> {
    /// Makes node `id`: its outputs (the keys that end there) and its children's runs.
    #[inline(never)]
    fn make(&mut self, id: usize) {
        let Some(&(mut lo, hi, depth)) = self.runs.get(id) else { return };
        let key = |i: u32| self.keys.get(i as usize).copied().unwrap_or(&[]);
        let trie = &mut self.trie;
        let first_output = trie.outputs.len() as u32;
        while lo < hi && self.sorted.get(lo).is_some_and(|&k| key(k).len() == depth) {
            trie.outputs.extend(self.sorted.get(lo));
            lo += 1;
        }
        let first_child = self.runs.len() as u32;
        while lo < hi {
            let byte = |i: usize| self.sorted.get(i).and_then(|&k| key(k).get(depth)).copied();
            let b = byte(lo);
            let mut end = lo + 1;
            while end < hi && byte(end) == b {
                end += 1;
            }
            if id == 0 {
                if let Some(slot) = b.and_then(|b| trie.root.get_mut(usize::from(b))) {
                    *slot = self.runs.len() as u32;
                }
            }
            trie.labels.push(b.unwrap_or(0));
            self.runs.push((lo, end, depth + 1));
            lo = end;
        }
        trie.nodes.push(Node {
            first_child,
            children: self.runs.len() as u32 - first_child,
            outputs: first_output,
            output_count: trie.outputs.len() as u32 - first_output,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(t: &Trie, s: &str) -> Vec<(usize, Vec<u32>)> {
        let mut node = Trie::ROOT;
        let mut out = Vec::new();
        for (i, b) in s.bytes().enumerate() {
            let Some(n) = t.step(node, b) else { break };
            node = n;
            if !t.outputs(node).is_empty() {
                out.push((i + 1, t.outputs(node).to_vec()));
            }
        }
        out
    }

    #[test]
    fn finds_every_key_that_is_a_prefix() {
        let t = Trie::new(&["new", "new zealand", "new york", "ne", "zealand", "new"]);
        assert_eq!(walk(&t, "new zealand's"), vec![(2, vec![3]), (3, vec![0, 5]), (11, vec![1])]);
        assert_eq!(walk(&t, "newt"), vec![(2, vec![3]), (3, vec![0, 5])]);
        assert_eq!(walk(&t, "zealand"), vec![(7, vec![4])]);
        assert!(walk(&t, "york").is_empty());
        // Root, n, e, w, ' ', z.e.a.l.a.n.d (7), y.o.r.k (4), z.e.a.l.a.n.d again (7).
        assert_eq!(t.len(), 1 + 4 + 7 + 4 + 7);
    }

    #[test]
    fn keys_that_share_their_first_eight_bytes_are_sorted_by_the_rest() {
        let keys = [
            "united states",
            "united kingdom",
            "united state",
            "united states",
            "united",
            "united states army",
            "unite",
        ];
        let keys: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
        // Byte order; the two equal keys by index.
        assert_eq!(sorted(&keys), vec![6, 4, 1, 2, 0, 3, 5]);
        let t = Trie::new(&keys);
        assert_eq!(
            walk(&t, "united states army"),
            vec![(5, vec![6]), (6, vec![4]), (12, vec![2]), (13, vec![0, 3]), (18, vec![5])]
        );
    }

    #[test]
    fn breadth_first_numbering_keeps_children_together() {
        let t = Trie::new(&["ab", "ac", "b"]);
        // Root's children a (1) and b (2); a's children b (3) and c (4).
        assert_eq!(t.step(Trie::ROOT, b'a'), Some(1));
        assert_eq!(t.step(Trie::ROOT, b'b'), Some(2));
        assert_eq!(t.step(1, b'b'), Some(3));
        assert_eq!(t.step(1, b'c'), Some(4));
        assert_eq!(t.step(2, b'a'), None);
    }

    #[test]
    fn empty_and_non_ascii_keys() {
        let t = Trie::new(&["", "دمشق"]);
        assert_eq!(walk(&t, "دمشق"), vec![("دمشق".len(), vec![1])]);
        assert!(walk(&t, "x").is_empty());
    }
}
