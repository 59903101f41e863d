//! Putting rows in order: the sorted position of each name, of each row
//! (period, then unit), and moving a column's values to those positions.

use super::Row;

/// For each item, its position once sorted.
pub(super) fn sorted_order(items: &[String]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].cmp(&items[b]));
    let mut position = vec![0u32; items.len()];
    for (rank, &i) in order.iter().enumerate() {
        position[i] = rank as u32;
    }
    position
}

/// The number of (period, unit) cells when a table of one slot per cell is
/// small enough to walk (at most four per row, or 4,096 in all), else `None`.
pub(super) fn dense_cells(units: usize, periods: usize, rows: usize) -> Option<usize> {
    units
        .checked_mul(periods)
        .filter(|&cells| cells <= 4 * rows.max(1024))
}

/// For each row, its position once rows are sorted by period, then unit.
///
/// Keys are unique here (duplicates were errors). When the panel is dense,
/// one slot per (period, unit) cell, walked in order, places every row in
/// linear time; a sparse panel is sorted instead.
pub(super) fn sorted_positions(rows: &[Row], units: usize, periods: usize) -> Vec<usize> {
    let mut position = vec![0usize; rows.len()];
    if let Some(cells) = dense_cells(units, periods, rows.len()) {
        const EMPTY: usize = usize::MAX;
        let mut slots = vec![EMPTY; cells];
        let mut unique = true;
        for (old, row) in rows.iter().enumerate() {
            let slot = &mut slots[row.period as usize * units + row.unit as usize];
            unique &= *slot == EMPTY;
            *slot = old;
        }
        if unique {
            for (new, &old) in slots.iter().filter(|&&old| old != EMPTY).enumerate() {
                position[old] = new;
            }
            return position;
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by_key(|&i| (rows[i].period, rows[i].unit, i));
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
    }
    position
}

/// Moves `column[old]` to `column[position[old]]`, through `scratch`, which
/// is left holding the old column's buffer for the next call to reuse.
/// `position` must be a permutation of `0..column.len()`.
pub(super) fn permute_in_place<T: Copy>(
    column: &mut Vec<T>,
    position: &[usize],
    scratch: &mut Vec<T>,
) {
    debug_assert_eq!(column.len(), position.len());
    match column.first() {
        // Every slot is overwritten below, whatever it is filled with here.
        Some(&fill) => scratch.resize(column.len(), fill),
        None => return,
    }
    for (&value, &new) in column.iter().zip(position) {
        scratch[new] = value;
    }
    std::mem::swap(column, scratch);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense table and the sort place rows alike.
    #[test]
    fn sorted_positions_dense_and_sparse_agree() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut rows = Vec::new();
        for unit in 0..60u32 {
            for period in 0..7u32 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if !state.is_multiple_of(4) {
                    rows.push(Row {
                        unit,
                        period,
                        line: state,
                    });
                }
            }
        }
        // Shuffle by the pseudo-random line numbers.
        rows.sort_by_key(|r| r.line);
        let dense = sorted_positions(&rows, 60, 7);
        let sparse = sorted_positions(&rows, 60, 7_000_000);
        assert_eq!(dense, sparse);
        let mut placed = vec![None; rows.len()];
        for (old, &new) in dense.iter().enumerate() {
            placed[new] = Some((rows[old].period, rows[old].unit));
        }
        let placed: Vec<(u32, u32)> = placed.into_iter().map(Option::unwrap).collect();
        assert!(placed.is_sorted());
    }
}
