-- One pandoc for many documents: run as `pandoc lua pandoc_server.lua EMPTY_DIR`, it reads jobs
-- on stdin and answers each on stdout, until stdin closes (pipeline/renderers/pandoc_server.py).
--
-- A job is a line with the byte length of a JSON object, then the object:
--   input (HTML; or pandoc's JSON document without its "pandoc-api-version", which this pandoc
--   adds: pipeline/renderers/pandoc_ast.py), from, to (pandoc format names), metadata (a list
--   of entries, each a JSON object of one key, as --metadata-file takes the whole: pandoc reads
--   every key's value alone),
--   writer_options (pandoc's Lua WriterOptions names), filter (optional path of a Lua filter),
--   inert (optional: true when a JSON document holds no Image, RawInline or RawBlock).
-- An answer is a line "<status> <byte length>", then that many bytes:
--   ok      the document's bytes;
--   unsafe  why the document cannot be written here (see confined below);
--   error   pandoc's message.
--
-- What `pandoc --sandbox` guarantees, and how this mode keeps it:
-- * the reader runs in pandoc's own sandbox (pandoc.read's read_env: an empty ersatz file
--   system), so it opens no file and no URL, as on the command line;
-- * pandoc.write cannot be sandboxed from Lua, and writers read what a document names: images,
--   media in raw HTML, a stylesheet or cover image named in the metadata. A document naming any
--   (or holding any raw element but RAW_TAB) is answered "unsafe" and converted by the
--   sandboxed command line instead;
-- * the data files (reference.docx parts, epub.css, translations) come from pandoc itself: the
--   user data directory is an empty folder the caller made;
-- * the time is what the sandbox gives (the caller sets SOURCE_DATE_EPOCH=0: 1970-01-01), and
--   the caller's environment (USERNAME, LANG) does not reach the writers.

local EMPTY_DATA_DIR = assert(arg[1], "usage: pandoc lua pandoc_server.lua EMPTY_DIR")
local NO_FILES = {} -- the reader's ersatz file system
local READING_METADATA = { ["cover-image"] = true, css = true, stylesheet = true }
-- The one raw element a job may hold: the tab after a DOCX paragraph number, which the caller
-- puts in itself (pipeline/renderers/docx/touches.py) instead of running the DOCX filter.
local RAW_TAB = "<w:r><w:tab/></w:r>"

-- This pandoc's document API version, as its JSON reader wants it at the head of a document.
local API_VERSION = '{"pandoc-api-version":[' .. table.concat(PANDOC_API_VERSION, ",") .. "],"

local templates = {}
local filters = {}
-- Each metadata entry's value as pandoc read it, by the entry's text: most entries (publisher,
-- rights, accessibility) are the same for every text. The process is replaced after a fixed
-- number of documents, which bounds this; the values are never changed in place (a filter
-- returns new elements).
local metadata_read = {}

-- The default template of a format, as the command line uses for a standalone document.
local function template_for(format)
  if templates[format] == nil then
    templates[format] = pandoc.template.compile(pandoc.template.default(format))
  end
  return templates[format]
end

-- A filter's functions, loaded once, with the globals the command line gives a filter.
local function filter_from(path, format)
  if filters[path] == nil then
    FORMAT = format
    local functions = setmetatable({}, { __index = _G })
    assert(loadfile(path, "t", functions))()
    filters[path] = functions
  end
  return filters[path]
end

-- Why the writer would read a file or URL for this document, or nil when it reads none. Of a
-- job whose document is known to hold no image and no raw element (`inert`: the caller found
-- no such element type in the JSON it sends), only the metadata is walked: its entries are
-- read here, from Markdown, and are not in that JSON.
local function confined(doc, inert)
  for key in pairs(doc.meta) do
    if READING_METADATA[key] then
      return "its metadata names a file to embed (" .. key .. ")"
    end
  end
  local named = nil
  local walked = inert and pandoc.Pandoc({}, doc.meta) or doc
  walked:walk({
    Image = function(image)
      named = named or ("an image (" .. image.src .. ")")
    end,
    RawInline = function(raw)
      if raw.format ~= "openxml" or raw.text ~= RAW_TAB then
        named = named or ("raw " .. raw.format)
      end
    end,
    RawBlock = function(raw)
      named = named or ("raw " .. raw.format)
    end,
  })
  return named and ("it contains " .. named) or nil
end

-- The metadata of all the entries, as pandoc reads a metadata file of them all. The entries not
-- read before are read together, in one document (each entry is an object of one key, and no
-- two entries of a job have the same key): each read has a cost of its own.
local function metadata_of(entries)
  local unread, seen = {}, {}
  for _, entry in ipairs(entries) do
    if metadata_read[entry] == nil and not seen[entry] then
      seen[entry] = true
      unread[#unread + 1] = entry
    end
  end
  if #unread > 0 then
    local members = {}
    for index, entry in ipairs(unread) do
      members[index] = entry:match("^{(.*)}$")
    end
    local read = pandoc.read("---\n{" .. table.concat(members, ",") .. "}\n---\n", "markdown", {}, NO_FILES).meta
    for _, entry in ipairs(unread) do
      local key = next(pandoc.json.decode(entry, false))
      metadata_read[entry] = { [key] = read[key] }
    end
  end
  local metadata = {}
  for _, entry in ipairs(entries) do
    for key, value in pairs(metadata_read[entry]) do
      metadata[key] = value
    end
  end
  return metadata
end

-- As `pandoc --sandbox -f FROM -t TO --metadata-file M [--lua-filter F]`: the metadata file's
-- values give way to the document's own; the filter runs on the merged document.
local function convert(job)
  pandoc.mediabag.empty()
  local input = job.input
  if job.from == "json" then
    input = API_VERSION .. input:sub(2)
  end
  local doc = pandoc.read(input, job.from, {}, NO_FILES)
  local metadata = metadata_of(job.metadata)
  for key, value in pairs(doc.meta) do
    metadata[key] = value
  end
  doc.meta = metadata
  local why = confined(doc, job.from == "json" and job.inert == true)
  if why then
    return "unsafe", why
  end
  if job.filter then
    doc = doc:walk(filter_from(job.filter, job.to))
  end
  local options = job.writer_options
  options.template = template_for(job.to)
  return "ok", pandoc.write(doc, job.to, options)
end

local function answer(status, bytes)
  io.stdout:write(status, " ", #bytes, "\n", bytes)
  io.stdout:flush()
end

local function serve()
  while true do
    local header = io.stdin:read("l")
    if header == nil then
      return
    end
    local job = pandoc.json.decode(io.stdin:read(tonumber(header)), false)
    local ran, status, bytes = pcall(convert, job)
    if ran then
      answer(status, bytes)
    else
      answer("error", tostring(status))
    end
  end
end

pandoc.with_state({ user_data_dir = EMPTY_DATA_DIR }, serve)
