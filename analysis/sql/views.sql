-- The views grokgrid sql registers (runs, curves, grokking, overfitting_cost), for a Spark SQL
-- shell on a cluster. ${dir} is the sweep's output directory or URI, e.g.
--   spark-sql --master yarn -d dir=hdfs:///sweeps/xor-fig1-right \
--     -i analysis/sql/views.sql -f analysis/sql/phase_table.sql
CREATE OR REPLACE TEMPORARY VIEW runs USING parquet OPTIONS (path '${dir}/runs');
CREATE OR REPLACE TEMPORARY VIEW curves USING parquet OPTIONS (path '${dir}/curves');
CREATE OR REPLACE TEMPORARY VIEW grokking USING parquet OPTIONS (path '${dir}/grokking');
CREATE OR REPLACE TEMPORARY VIEW overfitting_cost USING parquet OPTIONS (path '${dir}/overfitting_cost');
