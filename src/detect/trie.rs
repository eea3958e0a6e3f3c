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
        let key = |i: u32| keys.get(i as usize).map_or(&[][..], |k| k.as_ref());
        // Sorted by their first eight bytes (big-endian, so numbers order as the bytes do; a
        // shorter key is padded with zeros and its length breaks the tie) and only where those
        // are equal by the rest: comparing numbers rather than slices made building the trie,
        // on every start of the extension's background, a quarter quicker.
        let head = |k: &[u8]| {
            let mut eight = [0u8; 8];
            eight.iter_mut().zip(k).for_each(|(s, b)| *s = *b);
            (u64::from_be_bytes(eight), k.len().min(8))
        };
        let mut sorted: Vec<(u64, usize, u32)> = (0..keys.len())
            .filter_map(|i| u32::try_from(i).ok())
            .map(|i| {
                let (h, n) = head(key(i));
                (h, n, i)
            })
            .collect();
        // Unstable is enough: ties are broken by index, so the order is total.
        sorted.sort_unstable_by(|&(ha, na, a), &(hb, nb, b)| {
            ha.cmp(&hb)
                .then(na.cmp(&nb))
                .then_with(|| key(a).get(8..).cmp(&key(b).get(8..)))
                .then(a.cmp(&b))
        });
        let sorted: Vec<u32> = sorted.into_iter().map(|(_, _, i)| i).collect();
        // (first key, end of keys, depth) of each node, indexed by node id.
        let mut runs: Vec<(usize, usize, usize)> = vec![(0, sorted.len(), 0)];
        let mut nodes = Vec::new();
        let mut labels = vec![0u8];
        let mut outputs = Vec::new();
        let mut root = Box::new([NONE; 256]);
        let mut id = 0;
        while let Some(&(mut lo, hi, depth)) = runs.get(id) {
            let first_output = outputs.len() as u32;
            // Keys that end here sort first.
            while lo < hi && sorted.get(lo).is_some_and(|&k| key(k).len() == depth) {
                outputs.extend(sorted.get(lo));
                lo += 1;
            }
            let first_child = runs.len() as u32;
            while lo < hi {
                let byte = |i: usize| sorted.get(i).and_then(|&k| key(k).get(depth)).copied();
                let b = byte(lo);
                let mut end = lo + 1;
                while end < hi && byte(end) == b {
                    end += 1;
                }
                if id == 0 {
                    if let Some(slot) = b.and_then(|b| root.get_mut(usize::from(b))) {
                        *slot = runs.len() as u32;
                    }
                }
                labels.push(b.unwrap_or(0));
                runs.push((lo, end, depth + 1));
                lo = end;
            }
            nodes.push(Node {
                first_child,
                children: runs.len() as u32 - first_child,
                outputs: first_output,
                output_count: outputs.len() as u32 - first_output,
            });
            id += 1;
        }
        Trie { root, nodes, labels, outputs }
    }

    /// The child of `node` by byte `b`, or `None`.
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
