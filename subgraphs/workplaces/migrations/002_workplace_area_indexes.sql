-- Up Migration
-- The risk map counts each district's and ward's workplaces by risk level (`= ANY` over the
-- areas of a query), and the lists filter by district and ward: each reads its area's range.
CREATE INDEX workplace_district_idx ON workplaces.workplace (district_code, tax_code);
CREATE INDEX workplace_ward_idx ON workplaces.workplace (ward_code, tax_code);

-- Down Migration
DROP INDEX workplaces.workplace_ward_idx;
DROP INDEX workplaces.workplace_district_idx;
