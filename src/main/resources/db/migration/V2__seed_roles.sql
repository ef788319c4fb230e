-- Fixed ids so that code, tests and operators can refer to them.
INSERT INTO roles (id, code, role_name) VALUES
    ('00000000-0000-0000-0000-00000000000a', 'admin', 'Admin'),
    ('00000000-0000-0000-0000-00000000000b', 'normal', 'Normal user');
