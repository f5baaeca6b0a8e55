-- Every plan renews by itself here (there is no payment gateway; the free plan never ends), and
-- the original API reported `auto_renewal: true` for them: make the stored value say so.
ALTER TABLE subscriptions ALTER COLUMN auto_renewal SET DEFAULT TRUE;
UPDATE subscriptions SET auto_renewal = TRUE WHERE NOT auto_renewal;
