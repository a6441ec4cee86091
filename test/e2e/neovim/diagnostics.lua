-- Neovim as an independent LSP client of Migration Lens (run by test/e2e/neovim.test.ts):
--   nvim --headless --clean -n -u diagnostics.lua      with ML_CONFIG=<case.json>
-- case.json: { cmd: [...], root: dir, files: [{ path, expected }], out: file, timeout_ms: n }
-- Starts the server over stdio with root_dir = root, opens each file in a buffer attached to the client and
-- waits (vim.wait, a deadline, no sleep) until every buffer has `expected` diagnostics (at least one).
-- Writes { ok, error, files: [{ path, diagnostics: [{ lnum, col, end_lnum, end_col, code, source, message,
-- severity }] }] } to `out`, then `qall!` on success and `cquit 1` on timeout or error: the exit code carries
-- the verdict, the JSON carries the evidence.
-- Neovim 0.7.2 (Debian): vim.lsp.start does not exist yet; start_client + buf_attach_client do.

local result = { ok = false, files = {} }
local config

local function finish(ok, err)
  result.ok = ok
  result.error = err
  if config and config.out then
    vim.fn.writefile({ vim.fn.json_encode(result) }, config.out)
  end
  if ok then
    vim.cmd('qall!')
  else
    io.stderr:write('diagnostics.lua: ' .. tostring(err) .. '\n')
    vim.cmd('cquit 1')
  end
end

local function collect(buffers)
  result.files = {}
  for _, entry in ipairs(buffers) do
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(entry.buf)) do
      table.insert(diagnostics, {
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        end_col = d.end_col,
        code = d.code == nil and vim.NIL or d.code,
        source = d.source == nil and vim.NIL or d.source,
        message = d.message,
        severity = d.severity,
      })
    end
    table.insert(result.files, { path = entry.path, diagnostics = diagnostics })
  end
end

local ok, err = pcall(function()
  config = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('ML_CONFIG')), '\n'))
  vim.lsp.set_log_level(config.log_level or 'warn')
  vim.o.hidden = true

  local exited
  local client_id = vim.lsp.start_client({
    name = 'migration-lens',
    cmd = config.cmd,
    root_dir = config.root,
    on_exit = function(code, signal)
      exited = string.format('server exited (code %s, signal %s)', tostring(code), tostring(signal))
    end,
  })
  if not client_id then
    error('vim.lsp.start_client failed for ' .. table.concat(config.cmd, ' '))
  end

  local buffers = {}
  for _, file in ipairs(config.files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file.path))
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].filetype = 'python'
    if not vim.lsp.buf_attach_client(buf, client_id) then
      error('buf_attach_client failed for ' .. file.path)
    end
    table.insert(buffers, { buf = buf, path = file.path, expected = math.max(file.expected or 1, 1) })
  end

  local done = vim.wait(config.timeout_ms or 30000, function()
    if exited then
      return true
    end
    for _, entry in ipairs(buffers) do
      if #vim.diagnostic.get(entry.buf) < entry.expected then
        return false
      end
    end
    return true
  end, 20)

  collect(buffers)
  if exited then
    error(exited)
  end
  if not done then
    local counts = {}
    for i, entry in ipairs(buffers) do
      table.insert(counts, string.format('%s: %d of %d', entry.path, #result.files[i].diagnostics, entry.expected))
    end
    error('timed out waiting for diagnostics (' .. table.concat(counts, '; ') .. ')')
  end
end)

if ok then
  finish(true, nil)
else
  finish(false, err)
end
