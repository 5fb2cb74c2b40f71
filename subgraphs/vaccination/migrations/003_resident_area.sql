-- Up Migration
-- Where the vaccinated person lives, as the platform records it at registration (district and
-- ward codes), for vaccination coverage per district and ward. NULL when the record does not
-- say. The vaccination platform's own fact: coverage per area needs no person data from the
-- registry, and counts by an index rather than joining persons to addresses per query.
ALTER TABLE vaccination.dose ADD COLUMN resident_district text CHECK (resident_district ~ '^[0-9]{3}$');
ALTER TABLE vaccination.dose ADD COLUMN resident_ward text CHECK (resident_ward ~ '^[0-9]{5}$');

-- Fully vaccinated per area by a day: one range of the area's index, reading vaccine and dose
-- number from it to find the doses that complete a primary series.
CREATE INDEX dose_resident_district_idx ON vaccination.dose (resident_district, administered_on) INCLUDE (vaccine, dose_number) WHERE resident_district IS NOT NULL;
CREATE INDEX dose_resident_ward_idx ON vaccination.dose (resident_ward, administered_on) INCLUDE (vaccine, dose_number) WHERE resident_ward IS NOT NULL;

-- Down Migration
DROP INDEX vaccination.dose_resident_ward_idx;
DROP INDEX vaccination.dose_resident_district_idx;
ALTER TABLE vaccination.dose DROP COLUMN resident_ward;
ALTER TABLE vaccination.dose DROP COLUMN resident_district;
