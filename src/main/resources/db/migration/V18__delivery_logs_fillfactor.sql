-- Room on each page for the claim's update of a log (lease, claim token: columns no index holds),
-- so that PostgreSQL can make it a heap-only tuple update and touch none of the table's eight
-- indexes. With full pages every claim wrote a new entry in each of them.
ALTER TABLE delivery_logs SET (fillfactor = 70);
