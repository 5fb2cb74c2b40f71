-- Up Migration
-- The Ministry of Health's list of laboratories licensed for SARS-CoV-2 testing, with the
-- province each one reports to. Lab feeds name a lab by its code only; the province is what
-- attributes a lab's tests to a province's daily report. A lab missing here is still stored
-- and served; its tests are counted in no province until it is added.
CREATE TABLE testing.lab (
  id            text PRIMARY KEY CHECK (id <> ''),
  name          text NOT NULL CHECK (name <> ''),
  province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$')
);

INSERT INTO testing.lab (id, name, province_code) VALUES
  ('LAB-NIHE',    'Viện Vệ sinh Dịch tễ Trung ương', '01'),
  ('LAB-HNCDC',   'Trung tâm Kiểm soát Bệnh tật thành phố Hà Nội', '01'),
  ('LAB-BACHMAI', 'Bệnh viện Bạch Mai', '01'),
  ('LAB-NHTD',    'Bệnh viện Bệnh Nhiệt đới Trung ương', '01'),
  ('LAB-BGCDC',   'Trung tâm Kiểm soát Bệnh tật tỉnh Bắc Giang', '24'),
  ('LAB-PINT',    'Viện Pasteur Nha Trang', '56'),
  ('LAB-DNCDC',   'Trung tâm Kiểm soát Bệnh tật thành phố Đà Nẵng', '48'),
  ('LAB-TIHE',    'Viện Vệ sinh Dịch tễ Tây Nguyên', '66'),
  ('LAB-PIHCM',   'Viện Pasteur Thành phố Hồ Chí Minh', '79'),
  ('LAB-HCDC',    'Trung tâm Kiểm soát Bệnh tật Thành phố Hồ Chí Minh', '79'),
  ('LAB-CHORAY',  'Bệnh viện Chợ Rẫy', '79'),
  ('LAB-BDCDC',   'Trung tâm Kiểm soát Bệnh tật tỉnh Bình Dương', '74'),
  ('LAB-CTCDC',   'Trung tâm Kiểm soát Bệnh tật thành phố Cần Thơ', '92');

-- The daily report counts results by the local day they came out, per lab.
CREATE INDEX test_result_lab_resulted_idx ON testing.test_result (lab_id, resulted_at) INCLUDE (result);

-- Down Migration
DROP INDEX testing.test_result_lab_resulted_idx;
DROP TABLE testing.lab;
