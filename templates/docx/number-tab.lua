-- Three touches pandoc's DOCX writer needs from the house style:
-- * paragraph numbers stay literal text (never Word numbering); a tab after each one jumps to
--   the hanging indent of the paragraph style, so that every line of the text aligns;
-- * words in Greek, Cyrillic, Armenian or Georgian script carry their language (w:lang), so that
--   Word checks their spelling as such and a screen reader switches voice; Armenian and Georgian
--   ones also get a character style naming a face that has their letters. The punctuation around
--   such words (quotation marks, commas) stays outside: it keeps the face of the text around it;
-- * table cells are set in the house table styles, the header row in "Table Heading" (bold in
--   every reader: LibreOffice does not apply a table style's first-row formatting).
local TAB = pandoc.RawInline("openxml", "<w:r><w:tab/></w:r>")

-- Cyrillic serves many languages: a phrase's own letters tell most of them apart; one with none
-- of those letters is taken as Russian.
local CYRILLIC_LANGUAGES = {
  { language = "be-BY", letters = { "ў", "Ў" } },
  { language = "uk-UA", letters = { "є", "ї", "ґ", "і", "Є", "Ї", "Ґ", "І" } },
  { language = "mk-MK", letters = { "ѓ", "ќ", "ѕ", "Ѓ", "Ќ", "Ѕ" } },
  { language = "sr-Cyrl-RS", letters = { "ђ", "ћ", "ј", "љ", "њ", "џ", "Ђ", "Ћ", "Ј", "Љ", "Њ", "Џ" } },
  { language = "ru-RU", letters = { "ы", "э", "ё", "Ы", "Э", "Ё" } },
  { language = "bg-BG", letters = { "ъ", "ѝ", "Ъ", "Ѝ" } },
}

local function cyrillic_language(text)
  for _, candidate in ipairs(CYRILLIC_LANGUAGES) do
    for _, letter in ipairs(candidate.letters) do
      if text:find(letter, 1, true) then
        return candidate.language
      end
    end
  end
  return "ru-RU"
end

local SCRIPTS = {
  { name = "greek", language = "el-GR", ranges = { { 0x0370, 0x03FF }, { 0x1F00, 0x1FFF } } },
  { name = "cyrillic", ranges = { { 0x0400, 0x052F }, { 0x1C80, 0x1C8F }, { 0x2DE0, 0x2DFF }, { 0xA640, 0xA69F } } },
  { name = "armenian", language = "hy-AM", style = "Armenian Text", ranges = { { 0x0530, 0x058F }, { 0xFB13, 0xFB17 } } },
  {
    name = "georgian",
    language = "ka-GE",
    style = "Georgian Text",
    ranges = { { 0x10A0, 0x10FF }, { 0x1C90, 0x1CBF }, { 0x2D00, 0x2D2F } },
  },
}

local function script_of(code)
  for _, script in ipairs(SCRIPTS) do
    for _, range in ipairs(script.ranges) do
      if code >= range[1] and code <= range[2] then
        return script
      end
    end
  end
  return nil
end

-- A text cut into pieces of one script each, and pieces of none: characters of no script
-- between two letters of the same script (an apostrophe, a hyphen) belong to the word.
local function pieces(text)
  local result, pending = {}, ""
  for _, code in utf8.codes(text) do
    local character, script = utf8.char(code), script_of(code)
    local last = result[#result]
    if script and last and last.script == script then
      last.text = last.text .. pending .. character
      pending = ""
    elseif script then
      if pending ~= "" then
        table.insert(result, { text = pending })
        pending = ""
      end
      table.insert(result, { text = character, script = script })
    elseif last and last.script then
      pending = pending .. character
    elseif last then
      last.text = last.text .. character
    else
      table.insert(result, { text = character })
    end
  end
  if pending ~= "" then
    table.insert(result, { text = pending })
  end
  return result
end

local function has_script(text)
  for _, code in utf8.codes(text) do
    if script_of(code) then
      return true
    end
  end
  return false
end

local function script_span(group)
  local script = group.script
  local language = script.language or cyrillic_language(pandoc.utils.stringify(group.content))
  local attributes = { { "lang", language } }
  if script.style then
    table.insert(attributes, 1, { "custom-style", script.style })
  end
  return pandoc.Span(group.content, pandoc.Attr("", {}, attributes))
end

-- Consecutive words of one script, with the spaces between them, make one span: one phrase,
-- one language.
local function tag_scripts(inlines)
  local result = pandoc.Inlines({})
  local group = nil
  local function flush()
    if group then
      result:insert(script_span(group))
      result:extend(group.spaces)
      group = nil
    end
  end
  for _, item in ipairs(inlines) do
    if item.t == "Str" and has_script(item.text) then
      for _, piece in ipairs(pieces(item.text)) do
        if piece.script and group and group.script == piece.script then
          group.content:extend(group.spaces)
          group.spaces = pandoc.Inlines({})
          group.content:insert(pandoc.Str(piece.text))
        elseif piece.script then
          flush()
          group = { script = piece.script, content = pandoc.Inlines({ pandoc.Str(piece.text) }), spaces = pandoc.Inlines({}) }
        else
          flush()
          result:insert(pandoc.Str(piece.text))
        end
      end
    elseif group and (item.t == "Space" or item.t == "SoftBreak") then
      group.spaces:insert(item)
    else
      flush()
      result:insert(item)
    end
  end
  flush()
  return result
end

local function number_tab(inlines)
  local result = pandoc.Inlines({})
  local skip_space = false
  for _, item in ipairs(inlines) do
    if item.t == "Span" and item.classes:includes("paragraph-number") then
      result:extend(item.content)
      result:insert(TAB)
      skip_space = true
    elseif skip_space and item.t == "Space" then
      skip_space = false
    else
      skip_space = false
      result:insert(item)
    end
  end
  return result
end

function Inlines(inlines)
  return tag_scripts(number_tab(inlines))
end

local function styled_cells(rows, style)
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row.cells) do
      -- A cell's text is Plain, which pandoc always sets in "Compact": a paragraph takes the style.
      local blocks = cell.contents:walk({ Plain = function(plain) return pandoc.Para(plain.content) end })
      cell.contents = { pandoc.Div(blocks, pandoc.Attr("", {}, { { "custom-style", style } })) }
    end
  end
end

function Table(table)
  styled_cells(table.head.rows, "Table Heading")
  for _, body in ipairs(table.bodies) do
    styled_cells(body.head, "Table Heading")
    styled_cells(body.body, "Table Text")
  end
  styled_cells(table.foot.rows, "Table Text")
  return table
end
