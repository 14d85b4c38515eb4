"""Many phrasings per intent, in English and Chinese, each applied to a generated draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from promptreel.agent.editor import EditContext, RuleEditor
from promptreel.agent.grammar import parse
from promptreel.draft import Draft
from promptreel.generators.fakes import FakeIllustrations
from test_editor_support import Upload, VoicedSpeech, make_draft

Check = Callable[[Draft, Draft], None]

# (message, tool name, args that must be present)
PHRASES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "vertical": [
        ("make it vertical", "set_aspect", {"aspect": "9:16"}),
        ("portrait please", "set_aspect", {"aspect": "9:16"}),
        ("9:16 please", "set_aspect", {"aspect": "9:16"}),
        ("make a version for TikTok", "set_aspect", {"aspect": "9:16"}),
        ("I need it for Instagram Reels", "set_aspect", {"aspect": "9:16"}),
        ("竖屏", "set_aspect", {"aspect": "9:16"}),
        ("改成竖版", "set_aspect", {"aspect": "9:16"}),
        ("我要发抖音", "set_aspect", {"aspect": "9:16"}),
        ("换成9：16", "set_aspect", {"aspect": "9:16"}),
        ("做成竖向的视频", "set_aspect", {"aspect": "9:16"}),
    ],
    "square": [
        ("make it square", "set_aspect", {"aspect": "1:1"}),
        ("1:1 format", "set_aspect", {"aspect": "1:1"}),
        ("for an instagram post", "set_aspect", {"aspect": "1:1"}),
        ("square video please", "set_aspect", {"aspect": "1:1"}),
        ("switch to 1x1", "set_aspect", {"aspect": "1:1"}),
        ("改成方形", "set_aspect", {"aspect": "1:1"}),
        ("正方形", "set_aspect", {"aspect": "1:1"}),
        ("1比1", "set_aspect", {"aspect": "1:1"}),
        ("做成正方形的", "set_aspect", {"aspect": "1:1"}),
        ("画面改为1:1", "set_aspect", {"aspect": "1:1"}),
    ],
    "landscape": [
        ("make it landscape", "set_aspect", {"aspect": "16:9"}),
        ("horizontal again", "set_aspect", {"aspect": "16:9"}),
        ("16:9", "set_aspect", {"aspect": "16:9"}),
        ("for YouTube", "set_aspect", {"aspect": "16:9"}),
        ("widescreen please", "set_aspect", {"aspect": "16:9"}),
        ("横屏", "set_aspect", {"aspect": "16:9"}),
        ("改成横版", "set_aspect", {"aspect": "16:9"}),
        ("宽屏", "set_aspect", {"aspect": "16:9"}),
        ("16比9", "set_aspect", {"aspect": "16:9"}),
        ("换成横向的", "set_aspect", {"aspect": "16:9"}),
    ],
    "title_text": [
        ('change the title to "Morning Ritual"', "set_title", {"text": "Morning Ritual"}),
        ("rename the video to Morning Ritual", "set_title", {"text": "Morning Ritual"}),
        ("title: Morning Ritual", "set_title", {"text": "Morning Ritual"}),
        ("set the title as 'Morning Ritual'", "set_title", {"text": "Morning Ritual"}),
        ("call it “Morning Ritual”", "set_title", {"text": "Morning Ritual"}),
        ("把标题改成“清晨仪式”", "set_title", {"text": "清晨仪式"}),
        ("标题改为清晨仪式", "set_title", {"text": "清晨仪式"}),
        ("标题换成「清晨仪式」", "set_title", {"text": "清晨仪式"}),
        ("把片名设为《清晨仪式》", "set_title", {"text": "清晨仪式"}),
        ("标题叫清晨仪式", "set_title", {"text": "清晨仪式"}),
    ],
    "title_style": [
        ("make the title red", "set_title", {"color": "#E53935"}),
        ("bigger title", "set_title", {"size_scale": 1.25}),
        ("make the title smaller", "set_title", {"size_scale": 0.8}),
        ("title in gold", "set_title", {"color": "#FFC107"}),
        ("change the title to yellow", "set_title", {"color": "#FDD835"}),
        ("标题改成红色", "set_title", {"color": "#E53935"}),
        ("把标题放大一点", "set_title", {"size_scale": 1.25}),
        ("标题小一点", "set_title", {"size_scale": 0.8}),
        ("标题用金色", "set_title", {"color": "#FFC107"}),
        ("标题字体用衬线", "set_title", {"font": "Noto Serif"}),
    ],
    "title_timing": [
        ("show the title for 5 seconds", "set_title", {"duration_ms": 5000}),
        ("keep the title on screen for 4s", "set_title", {"duration_ms": 4000}),
        ("title for two seconds only", "set_title", {"duration_ms": 2000}),
        ("the title should last 6 seconds", "set_title", {"duration_ms": 6000}),
        ("show the title from 1s", "set_title", {"start_ms": 1000}),
        ("标题显示5秒", "set_title", {"duration_ms": 5000}),
        ("标题持续四秒", "set_title", {"duration_ms": 4000}),
        ("标题只显示2秒", "set_title", {"duration_ms": 2000}),
        ("让标题停留6秒", "set_title", {"duration_ms": 6000}),
        ("标题从1秒开始", "set_title", {"start_ms": 1000}),
    ],
    "music_add": [
        ("add lo-fi background music at 35% volume", "set_music", {"style": "lofi", "volume": 0.35}),
        ("put some upbeat music in", "set_music", {"style": "upbeat"}),
        ("use cinematic music", "set_music", {"style": "cinematic"}),
        ("switch the soundtrack to something calm", "set_music", {"style": "calm"}),
        ("I want happy music at 20%", "set_music", {"style": "happy", "volume": 0.2}),
        ("把背景音乐换成轻快的风格", "set_music", {"style": "upbeat"}),
        ("配乐换成舒缓的", "set_music", {"style": "calm"}),
        ("加上百分之三十的lofi音乐", "set_music", {"style": "lofi", "volume": 0.3}),
        ("背景音乐用电影感的", "set_music", {"style": "cinematic"}),
        ("换一首动感的音乐", "set_music", {"style": "energetic"}),
    ],
    "music_volume": [
        ("quieter", "set_music", {"volume_scale": 0.6}),
        ("make the music quieter", "set_music", {"volume_scale": 0.6}),
        ("turn the music down", "set_music", {"volume_scale": 0.6}),
        ("louder music please", "set_music", {"volume_scale": 1.5}),
        ("music at 50%", "set_music", {"volume": 0.5}),
        ("背景音乐小声一点", "set_music", {"volume_scale": 0.6}),
        ("音乐太吵了", "set_music", {"volume_scale": 0.6}),
        ("音乐大声一点", "set_music", {"volume_scale": 1.5}),
        ("把音乐音量调到50%", "set_music", {"volume": 0.5}),
        ("小声一点", "set_music", {"volume_scale": 0.6}),
    ],
    "music_mute": [
        ("mute the music", "set_music", {"muted": True}),
        ("silence the background music", "set_music", {"muted": True}),
        ("turn off the music", "set_music", {"muted": True}),
        ("turn the music back on", "set_music", {"muted": False}),
        ("unmute the bgm", "set_music", {"muted": False}),
        ("背景音乐静音", "set_music", {"muted": True}),
        ("关掉音乐", "set_music", {"muted": True}),
        ("把配乐关了", "set_music", {"muted": True}),
        ("打开背景音乐", "set_music", {"muted": False}),
        ("取消音乐静音", "set_music", {"muted": False}),
    ],
    "music_remove": [
        ("remove the music", "remove_music", {}),
        ("no music", "remove_music", {}),
        ("delete the background music", "remove_music", {}),
        ("get rid of the soundtrack", "remove_music", {}),
        ("drop the bgm", "remove_music", {}),
        ("删除背景音乐", "remove_music", {}),
        ("不要音乐", "remove_music", {}),
        ("去掉配乐", "remove_music", {}),
        ("把背景音乐删掉", "remove_music", {}),
        ("移除音乐", "remove_music", {}),
    ],
    "voice": [
        ("use a female voice", "set_voice", {"gender": "female"}),
        ("switch to a woman's voice", "set_voice", {"gender": "female"}),
        ("can the narrator be a girl", "set_voice", {"gender": "female"}),
        ("use a male voice", "set_voice", {"gender": "male"}),
        ("female narration please", "set_voice", {"gender": "female"}),
        ("用女声", "set_voice", {"gender": "female"}),
        ("换成女声配音", "set_voice", {"gender": "female"}),
        ("旁白用女生的声音", "set_voice", {"gender": "female"}),
        ("改成男声", "set_voice", {"gender": "male"}),
        ("解说换成女性", "set_voice", {"gender": "female"}),
    ],
    "speed": [
        ("speak a bit slower", "set_speech_speed", {"delta": -0.1}),
        ("slow down the narration", "set_speech_speed", {"delta": -0.1}),
        ("talk faster", "set_speech_speed", {"delta": 0.1}),
        ("narration at 1.2x", "set_speech_speed", {"speed": 1.2}),
        ("read it much slower", "set_speech_speed", {"delta": -0.2}),
        ("说慢一点", "set_speech_speed", {"delta": -0.1}),
        ("语速放慢", "set_speech_speed", {"delta": -0.1}),
        ("旁白快一点", "set_speech_speed", {"delta": 0.1}),
        ("配音语速1.2倍", "set_speech_speed", {"speed": 1.2}),
        ("讲得慢些", "set_speech_speed", {"delta": -0.1}),
    ],
    "narration_off": [
        ("turn off the narration", "set_narration", {"enabled": False}),
        ("no voiceover", "set_narration", {"enabled": False}),
        ("mute the voice", "set_narration", {"enabled": False}),
        ("remove the narrator", "set_narration", {"enabled": False}),
        ("disable narration", "set_narration", {"enabled": False}),
        ("关闭旁白", "set_narration", {"enabled": False}),
        ("不要配音", "set_narration", {"enabled": False}),
        ("去掉解说", "set_narration", {"enabled": False}),
        ("把旁白静音", "set_narration", {"enabled": False}),
        ("关掉人声", "set_narration", {"enabled": False}),
    ],
    "narration_on": [
        ("turn the narration back on", "set_narration", {"enabled": True}),
        ("unmute the voiceover", "set_narration", {"enabled": True}),
        ("bring back the narrator", "set_narration", {"enabled": True}),
        ("enable narration", "set_narration", {"enabled": True}),
        ("turn on the voice-over", "set_narration", {"enabled": True}),
        ("打开旁白", "set_narration", {"enabled": True}),
        ("恢复配音", "set_narration", {"enabled": True}),
        ("开启解说", "set_narration", {"enabled": True}),
        ("把旁白加回来", "set_narration", {"enabled": True}),
        ("取消旁白静音", "set_narration", {"enabled": True}),
    ],
    "music_upload": [
        ("use my song as the background music", "set_music", {"media_id": "latest"}),
        ("put my track in as music", "set_music", {"media_id": "latest"}),
        ("replace the music with my mp3", "set_music", {"media_id": "latest"}),
        ("background music: the uploaded song", "set_music", {"media_id": "latest"}),
        ("use our song for the soundtrack", "set_music", {"media_id": "latest"}),
        ("背景音乐用我上传的歌", "set_music", {"media_id": "latest"}),
        ("把配乐换成我的歌", "set_music", {"media_id": "latest"}),
        ("用我的音乐做背景音乐", "set_music", {"media_id": "latest"}),
        ("音乐换成我上传的那首", "set_music", {"media_id": "latest"}),
        ("背景乐用我的歌曲", "set_music", {"media_id": "latest"}),
    ],
    "revoice": [
        (
            'change scene 2\'s narration to "We roast every morning."',
            "set_scene_text",
            {"scene": 2, "text": "We roast every morning."},
        ),
        (
            'make the third scene say "Come visit us."',
            "set_scene_text",
            {"scene": 3, "text": "Come visit us."},
        ),
        (
            'scene 1 should say "Good mornings start here."',
            "set_scene_text",
            {"scene": 1, "text": "Good mornings start here."},
        ),
        (
            "change the line in the last scene to: Reserve a table now.",
            "set_scene_text",
            {"scene": -1, "text": "Reserve a table now"},
        ),
        (
            'rewrite the narration of the second scene: "Fresh beans daily."',
            "set_scene_text",
            {"scene": 2, "text": "Fresh beans daily."},
        ),
        (
            "把第二个场景的旁白改成“我们每天清晨烘焙”",
            "set_scene_text",
            {"scene": 2, "text": "我们每天清晨烘焙"},
        ),
        ("第三个镜头的台词改为欢迎光临", "set_scene_text", {"scene": 3, "text": "欢迎光临"}),
        ("让第一个场景说“早安”", "set_scene_text", {"scene": 1, "text": "早安"}),
        ("最后一个场景的文案换成“立即预订”", "set_scene_text", {"scene": -1, "text": "立即预订"}),
        ("场景2的解说改成：豆子新鲜", "set_scene_text", {"scene": 2, "text": "豆子新鲜"}),
    ],
    "resize": [
        ("make the second scene 2 seconds longer", "resize_scene", {"scene": 2, "delta_ms": 2000}),
        ("extend scene 3 by 1.5s", "resize_scene", {"scene": 3, "delta_ms": 1500}),
        ("shorten the last scene by half a second", "resize_scene", {"scene": -1, "delta_ms": -500}),
        ("make scene 1 six seconds long", "resize_scene", {"scene": 1, "duration_ms": 6000}),
        ("the first scene should be 5 seconds", "resize_scene", {"scene": 1, "duration_ms": 5000}),
        ("把第二个场景延长2秒", "resize_scene", {"scene": 2, "delta_ms": 2000}),
        ("第三个镜头加长一秒", "resize_scene", {"scene": 3, "delta_ms": 1000}),
        ("最后一个场景缩短半秒", "resize_scene", {"scene": -1, "delta_ms": -500}),
        ("把第一个场景改成6秒", "resize_scene", {"scene": 1, "duration_ms": 6000}),
        ("场景2再长两秒", "resize_scene", {"scene": 2, "delta_ms": 2000}),
    ],
    "swap": [
        ("swap scene 1 and 3", "swap_scenes", {"a": 1, "b": 3}),
        ("switch scenes 2 and 3", "swap_scenes", {"a": 2, "b": 3}),
        ("exchange the first and second scenes", "swap_scenes", {"a": 1, "b": 2}),
        ("swap the first scene with the last scene", "swap_scenes", {"a": 1, "b": -1}),
        ("flip scene 2 and scene 4", "swap_scenes", {"a": 2, "b": 4}),
        ("交换第一个和第三个场景", "swap_scenes", {"a": 1, "b": 3}),
        ("把场景1和场景2对调", "swap_scenes", {"a": 1, "b": 2}),
        ("第二个镜头和第三个镜头互换", "swap_scenes", {"a": 2, "b": 3}),
        ("调换第一个场景和最后一个场景", "swap_scenes", {"a": 1, "b": -1}),
        ("把第2段和第4段交换位置", "swap_scenes", {"a": 2, "b": 4}),
    ],
    "move": [
        ("move scene 3 to the start", "move_scene", {"scene": 3, "to": 1}),
        ("put the first scene at the end", "move_scene", {"scene": 1, "to": -1}),
        ("move the last scene to position 2", "move_scene", {"scene": -1, "to": 2}),
        ("move scene 1 after scene 3", "move_scene", {"scene": 1, "to": 3}),
        ("make scene 4 the first one", "move_scene", {"scene": 4, "to": 1}),
        ("把第三个场景移到开头", "move_scene", {"scene": 3, "to": 1}),
        ("把第一个镜头放到最后", "move_scene", {"scene": 1, "to": -1}),
        ("把最后一个场景挪到第二个", "move_scene", {"scene": -1, "to": 2}),
        ("把场景1移到场景3后面", "move_scene", {"scene": 1, "to": 3}),
        ("第四个场景移到最前面", "move_scene", {"scene": 4, "to": 1}),
    ],
    "remove": [
        ("remove the last scene", "remove_scene", {"scene": -1}),
        ("delete scene 2", "remove_scene", {"scene": 2}),
        ("drop the third scene", "remove_scene", {"scene": 3}),
        ("get rid of the opening shot", "remove_scene", {"scene": 1}),
        ("cut scene 3", "remove_scene", {"scene": 3}),
        ("删除最后一个场景", "remove_scene", {"scene": -1}),
        ("去掉第二个镜头", "remove_scene", {"scene": 2}),
        ("删掉场景3", "remove_scene", {"scene": 3}),
        ("不要第一个画面", "remove_scene", {"scene": 1}),
        ("把第三段删了", "remove_scene", {"scene": 3}),
    ],
    "insert": [
        ("add a scene about our roastery", "add_scene", {"about": "our roastery"}),
        (
            "insert a new scene showing latte art after scene 2",
            "add_scene",
            {"about": "latte art", "position": 3},
        ),
        ("add one more scene about our friendly baristas", "add_scene", {"about": "our friendly baristas"}),
        (
            "add a scene about croissants at the beginning",
            "add_scene",
            {"about": "croissants", "position": 1},
        ),
        ("include a new shot of the espresso machine", "add_scene", {"about": "the espresso machine"}),
        ("加一个关于烘焙工坊的场景", "add_scene", {"about": "烘焙工坊"}),
        ("添加一个介绍咖啡师的镜头", "add_scene", {"about": "咖啡师"}),
        ("增加一个场景：拿铁拉花", "add_scene", {"about": "拿铁拉花"}),
        ("在第二个场景后面加一个关于甜点的场景", "add_scene", {"about": "甜点", "position": 3}),
        ("插入一个关于面包的画面", "add_scene", {"about": "面包"}),
    ],
    "regenerate": [
        ("new picture for scene 3", "regenerate_visual", {"scene": 3}),
        ("regenerate the second scene", "regenerate_visual", {"scene": 2}),
        ("give the first scene a different image", "regenerate_visual", {"scene": 1}),
        ("change the visual of the last scene", "regenerate_visual", {"scene": -1}),
        ("another illustration for scene 2 please", "regenerate_visual", {"scene": 2}),
        ("给第三个场景换一张图", "regenerate_visual", {"scene": 3}),
        ("重新生成第二个场景的画面", "regenerate_visual", {"scene": 2}),
        ("第一个镜头换个插图", "regenerate_visual", {"scene": 1}),
        ("最后一个场景的图片换一下", "regenerate_visual", {"scene": -1}),
        ("场景2重新画一张图", "regenerate_visual", {"scene": 2}),
    ],
    "captions_off": [
        ("turn off captions", "set_captions", {"enabled": False}),
        ("hide the subtitles", "set_captions", {"enabled": False}),
        ("no captions", "set_captions", {"enabled": False}),
        ("remove subtitles please", "set_captions", {"enabled": False}),
        ("disable the captions", "set_captions", {"enabled": False}),
        ("关闭字幕", "set_captions", {"enabled": False}),
        ("不要字幕", "set_captions", {"enabled": False}),
        ("去掉字幕", "set_captions", {"enabled": False}),
        ("隐藏字幕", "set_captions", {"enabled": False}),
        ("把字幕关掉", "set_captions", {"enabled": False}),
    ],
    "captions_on": [
        ("turn captions back on", "set_captions", {"enabled": True}),
        ("show subtitles", "set_captions", {"enabled": True}),
        ("enable captions", "set_captions", {"enabled": True}),
        ("add captions again", "set_captions", {"enabled": True}),
        ("captions on please", "set_captions", {"enabled": True}),
        ("打开字幕", "set_captions", {"enabled": True}),
        ("显示字幕", "set_captions", {"enabled": True}),
        ("加上字幕", "set_captions", {"enabled": True}),
        ("恢复字幕", "set_captions", {"enabled": True}),
        ("开启字幕", "set_captions", {"enabled": True}),
    ],
    "captions_style": [
        ("make the captions yellow", "set_captions", {"color": "#FDD835"}),
        ("bigger subtitles", "set_captions", {"size_scale": 1.25}),
        ("move the captions to the top", "set_captions", {"position": "top"}),
        ("captions in the center", "set_captions", {"position": "center"}),
        ("smaller captions please", "set_captions", {"size_scale": 0.8}),
        ("字幕改成黄色", "set_captions", {"color": "#FDD835"}),
        ("字幕大一点", "set_captions", {"size_scale": 1.25}),
        ("把字幕放到顶部", "set_captions", {"position": "top"}),
        ("字幕居中", "set_captions", {"position": "center"}),
        ("字幕小一些", "set_captions", {"size_scale": 0.8}),
    ],
    "overlay": [
        (
            "add 'Book now' at the end for 3 seconds",
            "add_overlay",
            {"text": "Book now", "at": "end", "duration_ms": 3000},
        ),
        ('put "Open daily 7-7" at the start', "add_overlay", {"text": "Open daily 7-7", "at": "start"}),
        ('show "20% off" over scene 2', "add_overlay", {"text": "20% off", "scene": 2}),
        ("add the text Visit us today at the end", "add_overlay", {"text": "Visit us today", "at": "end"}),
        (
            'overlay "Since 1998" at 2s for 2 seconds',
            "add_overlay",
            {"text": "Since 1998", "start_ms": 2000, "duration_ms": 2000},
        ),
        ("在结尾加上“立即预订”3秒", "add_overlay", {"text": "立即预订", "at": "end", "duration_ms": 3000}),
        ("开头显示文字“每天营业”", "add_overlay", {"text": "每天营业", "at": "start"}),
        ("在第二个场景加上“八折优惠”", "add_overlay", {"text": "八折优惠", "scene": 2}),
        ("添加文字：欢迎光临", "add_overlay", {"text": "欢迎光临"}),
        ("结尾打上「扫码关注」字样", "add_overlay", {"text": "扫码关注", "at": "end"}),
    ],
    "transition": [
        ("use wipe transitions", "set_transition", {"transition": "wipe"}),
        ("crossfade between all scenes", "set_transition", {"transition": "crossfade"}),
        ("slide transitions please", "set_transition", {"transition": "slide"}),
        ("no transitions, just hard cuts", "set_transition", {"transition": "cut"}),
        ("zoom transition between scene 2 and 3", "set_transition", {"transition": "zoom", "scene": 3}),
        ("使用擦除转场", "set_transition", {"transition": "wipe"}),
        ("转场改成淡入淡出", "set_transition", {"transition": "crossfade"}),
        ("去掉转场", "set_transition", {"transition": "cut"}),
        ("过渡效果用滑动", "set_transition", {"transition": "slide"}),
        ("第二个和第三个场景之间用缩放转场", "set_transition", {"transition": "zoom", "scene": 3}),
    ],
    "media": [
        ("use my photo in scene 2", "use_media", {"scene": 2, "kind": "image"}),
        ("put my video in the first scene", "use_media", {"scene": 1, "kind": "video"}),
        ("use beans.jpg for scene 3", "use_media", {"scene": 3, "name": "beans.jpg"}),
        ("replace the last scene with my picture", "use_media", {"scene": -1, "kind": "image"}),
        ("show the uploaded image in the second scene", "use_media", {"scene": 2, "kind": "image"}),
        ("第二个场景用我的照片", "use_media", {"scene": 2, "kind": "image"}),
        ("把我上传的视频放到第一个场景", "use_media", {"scene": 1, "kind": "video"}),
        ("第三个镜头换成我的图片", "use_media", {"scene": 3, "kind": "image"}),
        ("最后一个场景用我上传的照片", "use_media", {"scene": -1, "kind": "image"}),
        ("在场景2里用beans.jpg", "use_media", {"scene": 2, "name": "beans.jpg"}),
    ],
    "total": [
        ("make it 15 seconds", "set_duration", {"total_ms": 15000}),
        ("shorten the video to 10 seconds", "set_duration", {"total_ms": 10000}),
        ("total length 25s", "set_duration", {"total_ms": 25000}),
        ("make the whole thing 5 seconds longer", "set_duration", {"delta_ms": 5000}),
        ("cut it down to 12 seconds", "set_duration", {"total_ms": 12000}),
        ("改成15秒", "set_duration", {"total_ms": 15000}),
        ("视频缩短到10秒", "set_duration", {"total_ms": 10000}),
        ("总时长25秒", "set_duration", {"total_ms": 25000}),
        ("整个视频延长5秒", "set_duration", {"delta_ms": 5000}),
        ("做成12秒的", "set_duration", {"total_ms": 12000}),
    ],
    "undo": [
        ("undo", "undo", {}),
        ("undo that", "undo", {}),
        ("revert the last change", "undo", {}),
        ("go back", "undo", {}),
        ("take that back", "undo", {}),
        ("撤销", "undo", {}),
        ("撤回", "undo", {}),
        ("撤销上一步", "undo", {}),
        ("回退", "undo", {}),
        ("返回上一步", "undo", {}),
    ],
    "redo": [
        ("redo", "redo", {}),
        ("redo that", "redo", {}),
        ("redo the last change", "redo", {}),
        ("do it again", "redo", {}),
        ("reapply that", "redo", {}),
        ("重做", "redo", {}),
        ("恢复", "redo", {}),
        ("重做上一步", "redo", {}),
        ("恢复刚才的修改", "redo", {}),
        ("重做一下", "redo", {}),
    ],
    "summary": [
        ("what's on the timeline?", "show_timeline", {}),
        ("show tracks", "show_timeline", {}),
        ("list the tracks", "show_timeline", {}),
        ("show me the timeline", "show_timeline", {}),
        ("what do we have so far", "show_timeline", {}),
        ("时间线上有什么", "show_timeline", {}),
        ("显示轨道", "show_timeline", {}),
        ("有哪些轨道", "show_timeline", {}),
        ("查看轨道", "show_timeline", {}),
        ("当前状态", "show_timeline", {}),
    ],
}

CASES = [(intent, msg, name, args) for intent, rows in PHRASES.items() for msg, name, args in rows]


def test_every_intent_has_five_phrasings_per_language() -> None:
    for intent, rows in PHRASES.items():
        zh = [m for m, _, _ in rows if any("\u4e00" <= ch <= "\u9fff" for ch in m)]
        assert len(zh) >= 5, intent
        assert len(rows) - len(zh) >= 5, intent


@pytest.mark.parametrize(("intent", "message", "name", "args"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_phrasing_parses(intent: str, message: str, name: str, args: dict[str, Any]) -> None:
    p = parse(message)
    assert p.calls, (message, p)
    got_name, got_args = p.calls[0]
    assert got_name == name, (message, p.calls)
    for k, v in args.items():
        assert got_args.get(k) == v, (message, k, got_args)


@pytest.mark.parametrize(("intent", "message", "name", "args"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_phrasing_applies(intent: str, message: str, name: str, args: dict[str, Any]) -> None:
    """Each phrasing changes a generated draft (or, for reads/undo, answers) with a reply in its language."""
    speech = VoicedSpeech()
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "en"
    draft = make_draft(speech=speech)
    ctx = EditContext(
        speech=speech,
        illustrations=FakeIllustrations(),
        media=[
            Upload("med_1", "image", "beans.jpg"),
            Upload("med_2", "video", "pour.mp4", 4000),
            Upload("med_3", "audio", "song.mp3", 30000),
        ],
    )
    editor = RuleEditor()
    if intent == "landscape":
        draft = editor.edit(draft, "make it vertical", lang="en", context=ctx).draft
    if intent in ("undo", "redo"):
        first = editor.edit(draft, "make it vertical", lang="en", context=ctx)
        assert first.history is not None
        if intent == "redo":
            ctx2 = EditContext(speech, None, (), first.history)
            undone = editor.edit(first.draft, "undo", lang="en", context=ctx2)
            assert undone.history is not None
            before, ctx = undone.draft, EditContext(speech, None, (), undone.history)
            expect = first.draft
        else:
            before, ctx = first.draft, EditContext(speech, None, (), first.history)
            expect = draft
        out = editor.edit(before, message, lang="en", context=ctx)
        assert out.changed and out.draft == expect
        return
    setup = {
        "music_add": "use energetic music",
        "transition": "use slide transitions"
        if args.get("transition") != "slide"
        else "use wipe transitions",
        "resize": "make the last scene 2 seconds longer",
    }.get(intent)
    if intent == "music_mute" and args.get("muted") is False:
        setup = "mute the music"
    if intent == "narration_on":
        setup = "turn off the narration"
    if intent == "captions_on":
        setup = "turn off captions"
    if intent == "music_add" and args.get("style") == "energetic":
        setup = "use lo-fi music"
    if intent == "voice" and args.get("gender") == "male":
        setup = "use a female voice"
    if setup:
        pre = editor.edit(draft, setup, lang="en", context=ctx)
        assert pre.changed, pre.reply
        draft = pre.draft
    out = editor.edit(draft, message, lang="en", context=ctx)
    assert out.calls and out.calls[0].name == name
    if name == "show_timeline":
        first = out.reply.splitlines()[0]
        # a Chinese question is answered in Chinese: the scenes and tracks, not the English summary
        assert not out.changed and (
            "当前时间线：5 个场景" in first if lang == "zh" else "Timeline (5 tracks)" in first
        )
        return
    assert out.changed, (message, out.reply)
    assert out.draft != draft
    assert out.reply
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in out.reply), out.reply
    else:
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in out.reply.split("Next")[0]), out.reply
