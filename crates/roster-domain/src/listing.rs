//! The orders and filters lists offer; each list's query continues after the last row of the
//! previous page in the terms of its sort (keyset pagination).

/// The sort keys of the organization list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgSort {
    Name,
    CreatedAt,
    Id,
}

/// Whether organizations with a property are listed with the rest, left out, or listed alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inclusion {
    Include,
    Exclude,
    Only,
}

/// The sort keys of the members list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSort {
    CreatedAt,
    Email,
}

/// The sort keys of team and project lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedSort {
    Name,
    CreatedAt,
}

/// Which invitations to list, by their state at the moment of the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    Any,
    Pending,
    Accepted,
    Revoked,
    Expired,
    Declined,
}
