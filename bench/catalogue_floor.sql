-- The floor of bench/catalogue.py: the core figures of the annual summary (DESIGN.md) for one
-- federation subtree and year, in ONE hand-written statement over the base tables — what a careful
-- person writes in psql with no stored aggregate. Parameters: %(path)s (the subtree's path prefix
-- followed by '%%'), %(start)s and %(end)s (the year's first and last day), %(year)s.
WITH scope_unions AS (
    SELECT u.*
    FROM unions_grassrootsunion u
    JOIN federation_federation f ON f.id = u.federation_id
    WHERE f.path LIKE %(path)s
),
active AS (
    SELECT * FROM scope_unions
    WHERE established_on <= %(end)s AND (status = 'active' OR status_changed_on > %(end)s)
),
in_force AS (
    SELECT id, union_id FROM unions_collectivecontract
    WHERE status IN ('signed', 'effective', 'expired')
      AND signed_on <= %(end)s AND starts_on <= %(end)s AND ends_on >= %(end)s
),
covered AS (
    SELECT a.id, a.employer_nature FROM active a
    WHERE a.id IN (SELECT union_id FROM in_force WHERE union_id IS NOT NULL)
       OR a.id IN (SELECT l.grassrootsunion_id FROM unions_collectivecontract_covered_unions l
                   JOIN in_force c ON c.id = l.collectivecontract_id)
),
stock AS (
    SELECT
        sum(CASE WHEN c.change_type IN ('join', 'transfer_in') THEN 1 ELSE -1 END) AS members,
        sum(CASE WHEN c.change_type IN ('join', 'transfer_in') THEN 1 ELSE -1 END)
            FILTER (WHERE m.gender = 'F') AS women_members,
        sum(CASE WHEN c.change_type IN ('join', 'transfer_in') THEN 1 ELSE -1 END)
            FILTER (WHERE m.is_migrant_worker) AS migrant_members,
        count(*) FILTER (WHERE c.change_type = 'join' AND c.changed_on >= %(start)s) AS new_members
    FROM members_membershipchange c
    JOIN scope_unions u ON u.id = c.union_id
    JOIN members_member m ON m.id = c.member_id
    WHERE c.changed_on <= %(end)s
      AND c.change_type IN ('join', 'transfer_in', 'transfer_out', 'withdraw', 'expel', 'death')
),
employees AS (
    SELECT sum(y.employees) AS employees, sum(y.women_employees) AS women_employees
    FROM unions_unionyear y JOIN active a ON a.id = y.union_id
    WHERE y.year = %(year)s
),
contracts AS (
    SELECT count(*) AS contracts_signed, count(*) FILTER (WHERE c.kind = 'wage') AS wage_contracts_signed
    FROM unions_collectivecontract c
    LEFT JOIN federation_federation cf ON cf.id = c.federation_id
    WHERE c.signed_on BETWEEN %(start)s AND %(end)s AND c.status <> 'negotiating'
      AND (c.union_id IN (SELECT id FROM scope_unions) OR cf.path LIKE %(path)s)
),
aid AS (
    SELECT sum(a.amount) AS aid_amount, count(*) AS aid_count,
           sum(a.students_helped) FILTER (WHERE a.kind = 'education') AS school_students,
           sum(a.amount) FILTER (WHERE a.kind = 'education') AS school_amount,
           count(*) FILTER (WHERE a.kind = 'festival') AS festival_visits,
           sum(a.amount) FILTER (WHERE a.kind = 'festival') AS festival_amount
    FROM members_aidrecord a JOIN scope_unions u ON u.id = a.union_id
    WHERE a.aid_on BETWEEN %(start)s AND %(end)s
),
activities AS (
    SELECT count(*) AS activities, sum(x.participants) AS activity_participants
    FROM federation_activity x
    LEFT JOIN federation_federation xf ON xf.id = x.federation_id
    WHERE x.starts_on BETWEEN %(start)s AND %(end)s
      AND (x.union_id IN (SELECT id FROM scope_unions) OR xf.path LIKE %(path)s)
)
SELECT
    (SELECT count(*) FROM active) AS unions,
    (SELECT count(*) FROM scope_unions WHERE established_on BETWEEN %(start)s AND %(end)s) AS unions_new,
    (SELECT sum(covered_employers) FROM active) AS employers_covered,
    (SELECT count(DISTINCT e.union_id) FROM unions_election e JOIN scope_unions u ON u.id = e.union_id
      WHERE e.held_on BETWEEN %(start)s AND %(end)s) AS unions_elected,
    employees.employees, employees.women_employees,
    stock.members, stock.women_members, stock.migrant_members, stock.new_members,
    contracts.contracts_signed, contracts.wage_contracts_signed,
    (SELECT count(*) FROM covered) AS covered_unions,
    (SELECT sum(y.employees) FROM unions_unionyear y WHERE y.year = %(year)s
      AND y.union_id IN (SELECT id FROM covered)) AS covered_employees,
    (SELECT count(*) FROM members_hardshipcase h JOIN scope_unions u ON u.id = h.union_id
      WHERE h.opened_on <= %(end)s AND (h.closed_on IS NULL OR h.closed_on > %(end)s)) AS cases_open,
    (SELECT count(*) FROM members_hardshipcase h JOIN scope_unions u ON u.id = h.union_id
      WHERE h.closed_on BETWEEN %(start)s AND %(end)s AND h.status = 'resolved') AS cases_resolved,
    aid.aid_amount, aid.aid_count, aid.school_students, aid.school_amount, aid.festival_visits,
    aid.festival_amount,
    activities.activities, activities.activity_participants
FROM stock, employees, contracts, aid, activities
